package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server as a client generated from our .proto sees it, as the Go tutorial's client would. */
@Timeout(30)
class GeneratedClientTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final String name = "generated-" + UUID.randomUUID();
  private HelloServer server;
  private ManagedChannel channel;

  private HelloServiceGrpc.HelloServiceBlockingStub start(HelloServer.Builder builder)
      throws IOException {
    server = builder.inProcess(name).start();
    channel = InProcessChannelBuilder.forName(name).build();
    return HelloServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(java.time.Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void answersHelloByDefaultAsTheTutorial() throws IOException {
    var stub = start(HelloServer.builder());
    assertThat(stub.hello(text("Hello Service")).getValue()).isEqualTo("hello:Hello Service");
  }

  @Test
  void answersHelloWithTheGivenHandler() throws IOException {
    var stub = start(HelloServer.builder().onHello(name -> "hi " + name.toUpperCase()));
    assertThat(stub.hello(text("bob")).getValue()).isEqualTo("hi BOB");
  }

  @Test
  void aThrowingHandlerFailsThatCallOnlyWithUnknownAndItsReason() throws IOException {
    var stub =
        start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      if (name.equals("boom")) {
                        throw new IllegalStateException("no greeting for boom");
                      }
                      return "hello:" + name;
                    }));
    assertThatThrownBy(() -> stub.hello(text("boom")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "the Hello handler failed with IllegalStateException;"
                          + " the server logged the details");
            });
    assertThat(stub.hello(text("next")).getValue()).isEqualTo("hello:next");
    assertThat(logs.lines())
        .as("the details")
        .containsExactly(
            "WARNING io.hellogrpc.server: Hello handler threw; the call fails with UNKNOWN"
                + " (method hello.v1.HelloService/Hello, peer " + name + ", principal none)"
                + " [java.lang.IllegalStateException: no greeting for boom]");
    assertThat(logs.records().get(0).getThrown()).hasMessage("no greeting for boom");
  }

  @Test
  void aHandlerChoosesItsStatusWithHelloException() throws IOException {
    var stub =
        start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      throw new HelloException(StatusCode.NOT_FOUND, "nobody called " + name);
                    }));
    assertThatThrownBy(() -> stub.hello(text("eve")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("nobody called eve");
            });
  }

  @Test
  void aHandlerReturningNullFailsWithInternal() throws IOException {
    var stub = start(HelloServer.builder().onHello(name -> null));
    assertThatThrownBy(() -> stub.hello(text("x")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).contains("returned null");
            });
  }

  @Test
  void aReplyOverMaxMessageSizeIsNotSentAndTheCallSaysWhy() throws Exception {
    // "hello:" + 1018 chars is 1024 chars, 1027 bytes encoded; the request itself fits.
    var stub = start(HelloServer.builder().maxMessageSize(1024));
    String justUnder = "x".repeat(1018);
    assertThatThrownBy(() -> stub.hello(text(justUnder)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "the Hello handler's reply of 1027 bytes exceeds the limit of 1024 bytes"
                          + " (maxMessageSize); it was not sent");
            });

    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel).channel(replies);
    requests.onNext(text("short"));
    requests.onNext(text(justUnder));
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies.values).containsExactly("hello:short");
    Status status = Status.fromThrowable(replies.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).startsWith("the Channel handler's reply of 1027 bytes");
  }

  @Test
  void answersEveryChannelMessageInOrderThenCompletes() throws Exception {
    start(HelloServer.builder());
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel).channel(replies);
    for (int i = 0; i < 1000; i++) {
      requests.onNext(text(Integer.toString(i)));
    }
    requests.onCompleted();
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies.error.get()).isNull();
    assertThat(replies.values).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(replies.values.get(i)).isEqualTo("hello:" + i);
    }
    // The server lets go of the session when its side of the call closes, which may come just
    // after the client saw the end.
    Waiting.until("the server frees the session", () -> server.activeSessions() == 0);
  }

  @Test
  void aThrowingChannelHandlerEndsTheSessionAfterTheRepliesBeforeIt() throws Exception {
    start(
        HelloServer.builder()
            .onChannel(
                message -> {
                  if (message.equals("boom")) {
                    throw new HelloException(StatusCode.INVALID_ARGUMENT, "boom is not a greeting");
                  }
                  return "hello:" + message;
                }));
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel).channel(replies);
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onNext(text("boom"));
    requests.onNext(text("never answered"));
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies.values).containsExactly("hello:a", "hello:b");
    Status status = Status.fromThrowable(replies.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("boom is not a greeting");
    requests.onCompleted();
  }
}
