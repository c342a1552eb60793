package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.assertj.core.api.Assertions.as;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits a server puts on each TCP connection, over Netty on 127.0.0.1. */
@Timeout(30)
class ConnectionLimitsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final AtomicInteger hellos = new AtomicInteger();
  private HelloServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  private void start(HelloServer.Builder builder) throws Exception {
    server =
        builder
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  hellos.incrementAndGet();
                  return "hello:" + name;
                })
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
  }

  /** A Channel session's two halves. */
  private record Session(
      StreamObserver<io.hellogrpc.api.proto.String> requests, Replies replies) {}

  /** A Channel session that has had one reply, so its stream is open on the connection. */
  private Session openSession() {
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel).channel(replies);
    requests.onNext(text("x"));
    Waiting.until("the session's first reply", () -> !replies.values.isEmpty());
    return new Session(requests, replies);
  }

  @Test
  void aMessageOverTheLimitIsRefusedAndTheNextCallWorks() throws Exception {
    start(HelloServer.builder().maxMessageSize(1024));
    var stub = HelloServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.hello(text("x".repeat(2000))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("1024");
            });
    assertThat(stub.hello(text("x".repeat(1000))).getValue()).startsWith("hello:x");
    assertThat(hellos).hasValue(1);
    assertThat(logs.lines())
        .as("grpc's deframer refuses the message before the library sees it, and says so")
        .containsExactly(
            "WARNING io.grpc.netty.shaded.io.grpc.netty.NettyServerStream:"
                + " Exception processing message [io.grpc.StatusRuntimeException:"
                + " RESOURCE_EXHAUSTED: gRPC message exceeds maximum size 1024: 2003]");
  }

  @Test
  void aCallOverTheConcurrencyLimitWaitsForAFreeSlot() throws Exception {
    start(HelloServer.builder().maxConcurrentCallsPerConnection(1));
    Session session = openSession();

    // The one slot is taken: Hello cannot start, and gives up at its deadline.
    assertThatThrownBy(
            () ->
                HelloServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .hello(text("waiting")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(hellos).hasValue(0);

    session.requests().onCompleted();
    assertThat(session.replies().done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(HelloServiceGrpc.newBlockingStub(channel).hello(text("now")).getValue())
        .isEqualTo("hello:now");
  }

  /** A Channel session the server never answers: it does not read, let alone reply. */
  private void cancelAnUnansweredSession() {
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel).channel(new Replies());
    ((ClientCallStreamObserver<io.hellogrpc.api.proto.String>) requests).cancel("reset", null);
  }

  @Test
  void aClientResettingCallsTheServerHadNotAnsweredPastTheLimitLosesItsConnection()
      throws Exception {
    start(HelloServer.builder().maxRstFramesPerWindow(3, Duration.ofSeconds(60)));
    Replies bystanderReplies = openSession().replies();

    for (int i = 0; i < 4; i++) { // the attack: streams opened and reset at once
      cancelAnUnansweredSession();
    }

    // The server cut the connection, taking every session on it along.
    assertThat(bystanderReplies.done.await(10, TimeUnit.SECONDS)).isTrue();
    Status status = Status.fromThrowable(bystanderReplies.error.get());
    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement(as(STRING))
        .startsWith("WARNING io.hellogrpc.server: closed the connection from /127.0.0.1:")
        .contains("it reset more than 3 calls the server had not answered within PT1M");
  }

  @Test
  void aClientCancellingSessionsThatWereAnsweredKeepsItsConnectionAtAnyCount() throws Exception {
    start(HelloServer.builder().maxRstFramesPerWindow(3, Duration.ofSeconds(60)));
    Session bystander = openSession();

    for (int i = 0; i < 50; i++) { // each had a reply: a legitimate client's cancel
      Session answered = openSession();
      ((ClientCallStreamObserver<io.hellogrpc.api.proto.String>) answered.requests())
          .cancel("done with it", null);
    }

    bystander.requests().onNext(text("still here"));
    Waiting.until("the bystander's second reply", () -> bystander.replies().values.size() == 2);
    assertThat(bystander.replies().error.get()).isNull();
  }

  @Test
  void aConnectionThatNeverHandshakesIsClosed() throws Exception {
    start(HelloServer.builder().handshakeTimeout(Duration.ofMillis(300)));
    try (Socket silent = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
      silent.setSoTimeout(5_000); // well under the default handshake timeout
      InputStream in = silent.getInputStream();
      int read;
      do {
        read = in.read(); // the server's SETTINGS may come first; then it closes
      } while (read != -1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server kept a silent connection open for 5 s, past its 300 ms handshake timeout",
          e);
    }
  }

  @Test
  void pastItsMaxAgeAndGraceAConnectionIsClosedAndTheClientReconnects() throws Exception {
    start(
        HelloServer.builder()
            .maxConnectionAge(Duration.ofSeconds(3))
            .maxConnectionAgeGrace(Duration.ZERO));
    Replies replies = openSession().replies();

    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Status.fromThrowable(replies.error.get()).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(HelloServiceGrpc.newBlockingStub(channel).hello(text("again")).getValue())
        .isEqualTo("hello:again");
  }
}
