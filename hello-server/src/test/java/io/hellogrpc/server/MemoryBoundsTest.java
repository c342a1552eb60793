package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client can make the server hold: requests that never finish arriving, health checks far
 * larger than they need, and messages the server is asked to keep, past its byte budget. Over
 * Netty on 127.0.0.1, against clients written with grpc's own stubs and calls.
 */
@Timeout(60)
class MemoryBoundsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final AtomicInteger hellos = new AtomicInteger();
  private final CountDownLatch neverReads = new CountDownLatch(1);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private HelloServer server;

  @AfterEach
  void stop() throws InterruptedException {
    neverReads.countDown();
    for (ManagedChannel channel : channels) {
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
  }

  /** A connection of its own. */
  private ManagedChannel connect() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    channels.add(channel);
    return channel;
  }

  /** A call that sends {@code request} and never half-closes; completes with how it ended. */
  private static <T, R> CompletableFuture<Status> sendWithoutHalfClosing(
      ManagedChannel channel, MethodDescriptor<T, R> method, T request) {
    CompletableFuture<Status> end = new CompletableFuture<>();
    ClientCall<T, R> call = channel.newCall(method, CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<R>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            end.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(request);
    return end;
  }

  private static Status within(CompletableFuture<Status> end) throws Exception {
    return end.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHelloWhoseRequestNeverFinishesArrivingEndsAtTheRequestTimeout() throws Exception {
    start(HelloServer.builder().requestTimeout(Duration.ofMillis(300)));

    Status end =
        within(sendWithoutHalfClosing(connect(), HelloServiceGrpc.getHelloMethod(), text("x")));

    assertThat(end.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(end.getDescription())
        .isEqualTo("the request did not arrive whole within PT0.3S (the client did not half-close)");
    assertThat(hellos).as("the handler never ran").hasValue(0);
  }

  @Test
  void aHealthCheckWhoseRequestNeverFinishesArrivingEndsAtTheRequestTimeout() throws Exception {
    start(HelloServer.builder().requestTimeout(Duration.ofMillis(300)));

    Status end =
        within(
            sendWithoutHalfClosing(
                connect(), HealthGrpc.getCheckMethod(), HealthCheckRequest.getDefaultInstance()));

    assertThat(end.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aRequestThatArrivesInTimeIsAnsweredAsEver() throws Exception {
    start(HelloServer.builder().requestTimeout(Duration.ofMillis(300)));
    ManagedChannel channel = connect();
    assertThat(HelloServiceGrpc.newBlockingStub(channel).hello(text("on time")).getValue())
        .isEqualTo("hello:on time");
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void aHealthCheckFarLargerThanItNeedsCostsTheClientItsConnection() throws Exception {
    start(HelloServer.builder());
    ManagedChannel attacker = connect();
    Replies bystanderOnTheSameConnection = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> session =
        HelloServiceGrpc.newStub(attacker).channel(bystanderOnTheSameConnection);
    session.onNext(text("first"));
    Waiting.until("the session's first reply", () -> !bystanderOnTheSameConnection.values.isEmpty());

    Status end =
        within(
            sendWithoutHalfClosing(
                attacker,
                HealthGrpc.getCheckMethod(),
                HealthCheckRequest.newBuilder().setService("s".repeat(100 * 1024)).build()));

    assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(bystanderOnTheSameConnection.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .contains("cut the connection from /127.0.0.1:")
        .contains("it sent grpc.health.v1.Health/Check a message of more than 65536 bytes");
    assertThat(HelloServiceGrpc.newBlockingStub(connect()).hello(text("others")).getValue())
        .isEqualTo("hello:others");
  }

  @Test
  void pastTheByteBudgetTheConnectionHoldingTheMostIsCutAndOthersAreServed() throws Exception {
    start(
        HelloServer.builder()
            .maxBufferedBytes(1024 * 1024)
            .onChat(session -> neverReads.await()));
    Replies bystander = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> bystanderSession =
        HelloServiceGrpc.newStub(connect()).channel(bystander);
    bystanderSession.onNext(text("small"));

    // Sessions whose handler never reads: each buffers up to receiveBufferSize messages.
    ManagedChannel hog = connect();
    List<Replies> hogSessions = new ArrayList<>();
    String message = "m".repeat(64 * 1024);
    for (int s = 0; s < 4; s++) {
      Replies replies = new Replies();
      StreamObserver<io.hellogrpc.api.proto.String> requests =
          HelloServiceGrpc.newStub(hog).channel(replies);
      for (int i = 0; i < 8; i++) {
        requests.onNext(text(message)); // 4 x 8 x 64 KiB: 2 MiB, twice the budget
      }
      hogSessions.add(replies);
    }

    for (Replies replies : hogSessions) {
      assertThat(replies.done.await(10, TimeUnit.SECONDS)).as("the hog's sessions end").isTrue();
      assertThat(Status.fromThrowable(replies.error.get()).getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(bystander.done.getCount()).as("the bystander's session goes on").isEqualTo(1);
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .contains("cut the connection from /127.0.0.1:")
        .contains("over its maxBufferedBytes of 1.0 MiB, and that connection held the most");
    bystanderSession.onCompleted();
  }
}
