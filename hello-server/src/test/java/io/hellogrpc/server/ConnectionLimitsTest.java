package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.assertj.core.api.Assertions.as;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SilentConnection;
import io.hellogrpc.testing.Waiting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** True if the server answered, false if it closed the connection; fails if it did neither. */
  private static boolean answered(SilentConnection connection) throws IOException {
    SilentConnection.Answer answer = connection.awaitAnswer(Duration.ofSeconds(5));
    assertThat(answer).as("what the server did within 5 s")
        .isNotEqualTo(SilentConnection.Answer.SILENT);
    return answer == SilentConnection.Answer.ANSWERED;
  }

  /** Opens {@code count} connections from {@code from}, each answered by the server. */
  private List<SilentConnection> openAnswered(int count, InetAddress from) throws IOException {
    List<SilentConnection> connections = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SilentConnection connection = new SilentConnection(from, server.port());
      connections.add(connection);
      assertThat(answered(connection)).as("connection %d answered", i).isTrue();
    }
    return connections;
  }

  private static void closeAll(List<SilentConnection> connections) throws IOException {
    for (SilentConnection connection : connections) {
      connection.close();
    }
  }

  /** Whether a new connection from {@code from} is served, closing it either way. */
  private boolean aNewConnectionIsServed(InetAddress from) {
    try (SilentConnection connection = new SilentConnection(from, server.port())) {
      return answered(connection);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void connectionsBeyondMaxConnectionsAreClosedAtOnceWithOneWarningForAll() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      start(HelloServer.builder().maxConnections(3));
      List<SilentConnection> held = openAnswered(3, SilentConnection.loopback(1));
      try {
        for (int i = 0; i < 20; i++) {
          try (SilentConnection refused =
              new SilentConnection(SilentConnection.loopback(2), server.port())) {
            assertThat(answered(refused)).as("connection %d over the limit", i).isFalse();
          }
        }
        held.remove(0).close();
        Waiting.until(
            "a connection closes and another is served",
            () -> aNewConnectionIsServed(SilentConnection.loopback(2)));
      } finally {
        closeAll(held);
      }
      assertThat(log.atOrAbove(Level.INFO))
          .singleElement(as(STRING))
          .isEqualTo(
              "WARNING io.hellogrpc.server: refused a connection from 127.0.0.2: the server has 3"
                  + " connections open, as many as maxConnections allows");
    }
  }

  @Test
  void connectionsBeyondMaxConnectionsPerAddressAreClosedWhileOtherAddressesAreServed()
      throws Exception {
    try (LogCapture log = LogCapture.start()) {
      start(HelloServer.builder().maxConnectionsPerAddress(2));
      List<SilentConnection> held = new ArrayList<>(openAnswered(2, SilentConnection.loopback(1)));
      try {
        for (int i = 0; i < 20; i++) {
          try (SilentConnection refused =
              new SilentConnection(SilentConnection.loopback(1), server.port())) {
            assertThat(answered(refused)).as("connection %d over the limit", i).isFalse();
          }
        }
        held.addAll(openAnswered(2, SilentConnection.loopback(2)));
        ManagedChannel fromElsewhere =
            NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .localSocketPicker(
                    new NettyChannelBuilder.LocalSocketPicker() {
                      @Override
                      public SocketAddress createSocketAddress(
                          SocketAddress remote, io.grpc.Attributes attributes) {
                        return new InetSocketAddress("127.0.0.3", 0);
                      }
                    })
                .build();
        try {
          assertThat(HelloServiceGrpc.newBlockingStub(fromElsewhere).hello(text("you")).getValue())
              .isEqualTo("hello:you");
        } finally {
          fromElsewhere.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      } finally {
        closeAll(held);
      }
      assertThat(log.atOrAbove(Level.INFO))
          .singleElement(as(STRING))
          .isEqualTo(
              "WARNING io.hellogrpc.server: refused a connection from 127.0.0.1: 2 connections"
                  + " from there are open, as many as maxConnectionsPerAddress allows");
    }
  }

  /**
   * grpc's idle clock starts when the connection does, not at a first call that never comes. Its
   * close is graceful: GOAWAY and a PING, and then it waits up to 10 s for the PING's answer,
   * which a silent client never sends (measured: 11.0 s in all).
   */
  @Test
  void aConnectionThatNeverMakesACallIsClosedOnceIdleForMaxConnectionIdle() throws Exception {
    start(HelloServer.builder().maxConnectionIdle(Duration.ofSeconds(1)));
    try (SilentConnection silent =
        new SilentConnection(SilentConnection.loopback(1), server.port())) {
      assertThat(answered(silent)).isTrue(); // the handshake is done: only idleness is left
      assertThat(silent.awaitClosedByServer(Duration.ofSeconds(25)))
          .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
  }

  @Test
  void aClientWhoseIdleConnectionWasClosedConnectsAgainOnItsNextCall() throws Exception {
    start(HelloServer.builder().maxConnectionIdle(Duration.ofSeconds(1)));
    var stub = HelloServiceGrpc.newBlockingStub(channel);
    assertThat(stub.hello(text("before")).getValue()).isEqualTo("hello:before");
    // GOAWAY, answered at once by a grpc client: the channel lets the connection go
    Waiting.until(
        "the idle connection is closed", () -> channel.getState(false) == ConnectivityState.IDLE);
    assertThat(stub.hello(text("after")).getValue()).isEqualTo("hello:after");
    assertThat(hellos).hasValue(2);
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
