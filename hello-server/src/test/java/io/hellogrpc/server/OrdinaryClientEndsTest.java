package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that cancels a {@code Hello} or a session, lets its deadline pass or goes away while a
 * handler runs is ordinary: the server logs nothing above INFO for it, neither then nor when it
 * closes, and no thread of it dies on an exception. Over Netty on 127.0.0.1, whose event loops are
 * gone by the time {@code close()} stops the handler pool.
 */
@Timeout(30)
class OrdinaryClientEndsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final CountDownLatch handlerStarted = new CountDownLatch(1);
  private final CountDownLatch handlerSawItsCallEnd = new CountDownLatch(1);
  private HelloServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  /** A server whose Hello handler waits until its call ends, then acts as {@code whenEnded}. */
  private void start(HelloHandler whenEnded) throws Exception {
    start(
        HelloServer.builder()
            .onHello(
                name -> {
                  Context.current()
                      .addListener(context -> handlerSawItsCallEnd.countDown(), Runnable::run);
                  handlerStarted.countDown();
                  assertThat(handlerSawItsCallEnd.await(20, TimeUnit.SECONDS)).isTrue();
                  return whenEnded.hello(name);
                }));
  }

  private void start(HelloServer.Builder builder) throws Exception {
    server = builder.host("127.0.0.1").port(0).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    // Connected before any deadline starts, so that a short one still reaches the handler.
    Waiting.until(
        "the channel is connected", () -> channel.getState(true) == ConnectivityState.READY);
  }

  /** Calls Hello, waits until the handler runs, ends the call as {@code end} does. */
  private CompletableFuture<Status> helloEndedBy(
      HelloServiceGrpc.HelloServiceStub stub, Consumer<Context.CancellableContext> end)
      throws InterruptedException {
    CompletableFuture<Status> outcome = new CompletableFuture<>();
    Context.CancellableContext call = Context.current().withCancellation();
    call.run(() -> stub.hello(text("ordinary"), statusOf(outcome)));
    assertThat(handlerStarted.await(10, TimeUnit.SECONDS)).isTrue();
    end.accept(call);
    return outcome;
  }

  /**
   * The client leaves, then the server closes, which returns once every handler has. With no
   * channel left, grpc lets go of its shared Netty event loops a second after the server stops,
   * before close() interrupts handlers still running: anything they write then is refused.
   */
  private void assertTheServerClosesHavingLoggedNothingAboveInfo() throws Exception {
    assertThat(handlerSawItsCallEnd.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    server.close();
    assertThat(server.isTerminated()).isTrue();
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  @Test
  void aHelloTheClientCancelsWhileTheHandlerRunsLogsNothing() throws Exception {
    start(name -> "hello:" + name); // the handler answers anyway: the reply has nowhere to go
    CompletableFuture<Status> outcome =
        helloEndedBy(
            HelloServiceGrpc.newStub(channel),
            call -> call.cancel(new Exception("the user pressed stop")));

    assertThat(outcome.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  @Test
  void aHelloWhoseDeadlinePassesWhileTheHandlerRunsLogsNothing() throws Exception {
    start(name -> "hello:" + name);
    CompletableFuture<Status> outcome =
        helloEndedBy(
            HelloServiceGrpc.newStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS),
            call -> {}); // the deadline ends it

    assertThat(outcome.get(10, TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  @Test
  void aHelloWhoseClientGoesAwayWhileTheHandlerRunsLogsNothing() throws Exception {
    start(name -> "hello:" + name);
    CompletableFuture<Status> outcome =
        helloEndedBy(HelloServiceGrpc.newStub(channel), call -> channel.shutdownNow());

    assertThat(outcome.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  @Test
  void aHandlerThatOutlivesItsCancelledCallUntilCloseInterruptsItLogsNothing() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    start(
        name -> {
          try {
            new CountDownLatch(1).await(); // ignores its call's end until close() interrupts it
          } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
          }
          return "never";
        });
    CompletableFuture<Status> outcome =
        helloEndedBy(
            HelloServiceGrpc.newStub(channel),
            call -> call.cancel(new Exception("the user pressed stop")));
    assertThat(outcome.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);

    assertTheServerClosesHavingLoggedNothingAboveInfo();
    assertThat(interrupted.getCount()).as("close() interrupted the handler").isZero();
  }

  @Test
  void aHandlerThatOutlivesItsCancelledCallUntilCloseAndThenAnswersLogsNothing()
      throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    start(
        name -> {
          try {
            new CountDownLatch(1).await(); // ignores its call's end until close() interrupts it
          } catch (InterruptedException e) {
            interrupted.countDown(); // and answers all the same, after the transport has gone
          }
          return "hello:" + name;
        });
    CompletableFuture<Status> outcome =
        helloEndedBy(
            HelloServiceGrpc.newStub(channel),
            call -> call.cancel(new Exception("the user pressed stop")));
    assertThat(outcome.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);

    assertTheServerClosesHavingLoggedNothingAboveInfo();
    assertThat(interrupted.getCount()).as("close() interrupted the handler").isZero();
  }

  /** A chat handler that answers until its session ends, however it ends. */
  private HelloServer.Builder chatting() {
    return HelloServer.builder()
        .onChat(
            session -> {
              handlerStarted.countDown();
              try {
                for (String message : session.messages()) {
                  session.send("hello:" + message);
                }
              } finally {
                handlerSawItsCallEnd.countDown();
              }
            });
  }

  /** Opens a session with {@code stub}, has one message answered, then ends it as {@code end}. */
  private Replies sessionEndedBy(
      HelloServiceGrpc.HelloServiceStub stub, Consumer<ClientCallStreamObserver<?>> end) {
    Replies replies = new Replies();
    var requests =
        (ClientCallStreamObserver<io.hellogrpc.api.proto.String>) stub.channel(replies);
    requests.onNext(text("ordinary"));
    Waiting.until("the reply", () -> replies.values.size() == 1);
    end.accept(requests);
    return replies;
  }

  private static Status.Code endOf(Replies replies) throws InterruptedException {
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    return Status.fromThrowable(replies.error.get()).getCode();
  }

  @Test
  void aSessionTheClientCancelsLogsNothing() throws Exception {
    start(chatting());
    Replies replies =
        sessionEndedBy(
            HelloServiceGrpc.newStub(channel),
            requests -> requests.cancel("the user pressed stop", null));

    assertThat(endOf(replies)).isEqualTo(Status.Code.CANCELLED);
    assertThat(replies.values).containsExactly("hello:ordinary");
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  @Test
  void aSessionWhoseDeadlinePassesLogsNothing() throws Exception {
    start(chatting());
    Replies replies =
        sessionEndedBy(
            HelloServiceGrpc.newStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS),
            requests -> {}); // the deadline ends it

    assertThat(endOf(replies)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  @Test
  void aSessionWhoseClientGoesAwayLogsNothing() throws Exception {
    start(HelloServer.builder()); // onChannel's default handler: no thread held by the session
    handlerSawItsCallEnd.countDown(); // nothing to wait for
    Replies replies =
        sessionEndedBy(HelloServiceGrpc.newStub(channel), requests -> channel.shutdownNow());

    assertThat(endOf(replies)).isEqualTo(Status.Code.UNAVAILABLE);
    Waiting.until("the server frees the session", () -> server.activeSessions() == 0);
    assertTheServerClosesHavingLoggedNothingAboveInfo();
  }

  private static StreamObserver<io.hellogrpc.api.proto.String> statusOf(
      CompletableFuture<Status> outcome) {
    return new StreamObserver<>() {
      @Override
      public void onNext(io.hellogrpc.api.proto.String reply) {
        outcome.completeExceptionally(new AssertionError("a reply: " + reply.getValue()));
      }

      @Override
      public void onError(Throwable t) {
        outcome.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        outcome.complete(Status.OK);
      }
    };
  }
}
