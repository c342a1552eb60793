package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.hellogrpc.testing.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShutdownTest {
  private final String name = "shutdown-" + UUID.randomUUID();
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

  private void start(HelloServer.Builder builder) throws Exception {
    server = builder.inProcess(name).start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private StreamObserver<io.hellogrpc.api.proto.String> open(Replies replies) {
    return HelloServiceGrpc.newStub(channel).channel(replies);
  }

  @Test
  void countsOpenSessions() throws Exception {
    start(HelloServer.builder());
    List<StreamObserver<io.hellogrpc.api.proto.String>> sessions = new ArrayList<>();
    List<Replies> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Replies r = new Replies();
      replies.add(r);
      StreamObserver<io.hellogrpc.api.proto.String> session = open(r);
      session.onNext(text("x"));
      sessions.add(session);
    }
    Waiting.until("three sessions are open", () -> server.activeSessions() == 3);
    for (int i = 0; i < 3; i++) {
      sessions.get(i).onCompleted();
      assertThat(replies.get(i).done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    Waiting.until("no session is open", () -> server.activeSessions() == 0);
  }

  @Test
  void closeLetsASessionFinishWithinTheGracePeriod() throws Exception {
    start(HelloServer.builder().shutdownGracePeriod(Duration.ofSeconds(20)));
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> session = open(replies);
    session.onNext(text("before"));
    Waiting.until("the first reply", () -> replies.values.size() == 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Waiting.until("the server is shutting down", server::isShutdown);
    session.onNext(text("during"));
    session.onCompleted();

    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies.error.get()).isNull();
    assertThat(replies.values).containsExactly("hello:before", "hello:during");
    closing.get(10, TimeUnit.SECONDS);
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void aDrainRefusesNewCallsLetsOneSessionFinishAndEndsTheOneThatOutlivesTheGrace()
      throws Exception {
    start(HelloServer.builder().shutdownGracePeriod(Duration.ofSeconds(5)));
    Replies finishing = new Replies();
    Replies outliving = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> finishingSession = open(finishing);
    StreamObserver<io.hellogrpc.api.proto.String> outlivingSession = open(outliving);
    finishingSession.onNext(text("a"));
    outlivingSession.onNext(text("b"));
    Waiting.until("both first replies", () -> finishing.values.size() + outliving.values.size() == 2);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Status refused =
        Refusals.firstRefusal(() -> HelloServiceGrpc.newBlockingStub(channel).hello(text("late")));
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    finishingSession.onNext(text("a2"));
    finishingSession.onCompleted();

    assertThat(finishing.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(finishing.error.get()).isNull();
    assertThat(finishing.values).containsExactly("hello:a", "hello:a2");
    assertThat(outliving.done.getCount()).as("the other session is still open").isOne();

    assertThat(outliving.done.await(10, TimeUnit.SECONDS)).isTrue();
    Status status = Status.fromThrowable(outliving.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("server is shutting down");
    assertThat(outliving.values).containsExactly("hello:b");
    closing.get(10, TimeUnit.SECONDS);
    assertThat(server.isTerminated()).isTrue();
    assertThat(server.activeSessions()).isZero();
  }

  @Test
  void closeInterruptsAHandlerThatIgnoresItsSessionsEnd() throws Exception {
    CountDownLatch neverReleased = new CountDownLatch(1);
    CountDownLatch handlerStarted = new CountDownLatch(1);
    CountDownLatch handlerInterrupted = new CountDownLatch(1);
    start(
        HelloServer.builder()
            .shutdownGracePeriod(Duration.ZERO)
            .onChat(
                session -> {
                  handlerStarted.countDown();
                  try {
                    neverReleased.await(); // ignores the session entirely
                  } catch (InterruptedException e) {
                    handlerInterrupted.countDown();
                  }
                }));
    Replies replies = new Replies();
    open(replies).onNext(text("x"));
    assertThat(handlerStarted.await(10, TimeUnit.SECONDS)).isTrue();

    server.close();

    assertThat(handlerInterrupted.getCount()).isZero(); // before close() returned
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownNowEndsEverySessionAtOnce() throws Exception {
    start(HelloServer.builder());
    Replies replies = new Replies();
    open(replies).onNext(text("x"));
    Waiting.until("the reply", () -> replies.values.size() == 1);

    server.shutdownNow();

    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Status.fromThrowable(replies.error.get()).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }
}
