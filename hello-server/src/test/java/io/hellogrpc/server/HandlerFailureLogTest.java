package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A handler that throws is logged once, at WARNING, under io.hellogrpc.server, naming the call's
 * method, the client's address and the principal, with what the client controls escaped.
 */
@Timeout(30)
class HandlerFailureLogTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private HelloServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  /** A server on 127.0.0.1 whose callers' principal is their token, newline and all. */
  private HelloServiceGrpc.HelloServiceBlockingStub start(HelloServer.Builder builder)
      throws Exception {
    server =
        builder.host("127.0.0.1").port(0).requireToken(token -> token.replace("_", "\n")).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer alice_WARNING:_forged");
    return HelloServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static final String PRINCIPAL = "principal alice\\nWARNING:\\nforged";

  @Test
  void aHelloHandlerThatThrows() throws Exception {
    var stub =
        start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      throw new IllegalStateException("no greeting for " + name);
                    }));
    assertThatThrownBy(() -> stub.hello(text("bob\r\nINFO: forged")))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(logs.atOrAbove(Level.FINEST))
        .singleElement()
        .asString()
        .matches(
            "WARNING io\\.hellogrpc\\.server: Hello handler threw; the call fails with UNKNOWN"
                + " \\(method hello\\.v1\\.HelloService/Hello, peer 127\\.0\\.0\\.1:\\d+, "
                + PRINCIPAL.replace("\\", "\\\\")
                + "\\) \\[java\\.lang\\.IllegalStateException: no greeting for"
                + " bob\\\\r\\\\nINFO: forged\\]");
  }

  @Test
  void aChannelHandlerThatThrows() throws Exception {
    start(
        HelloServer.builder()
            .onChannel(
                message -> {
                  throw new IllegalArgumentException("cannot answer " + message);
                }));
    assertThat(failedSession()).isEqualTo("UNKNOWN");
    assertThat(logs.atOrAbove(Level.FINEST))
        .singleElement()
        .asString()
        .matches(
            "WARNING io\\.hellogrpc\\.server: Channel handler threw; the call fails with UNKNOWN"
                + " \\(method hello\\.v1\\.HelloService/Channel, peer 127\\.0\\.0\\.1:\\d+, "
                + PRINCIPAL.replace("\\", "\\\\")
                + "\\) \\[java\\.lang\\.IllegalArgumentException: cannot answer first\\]");
  }

  @Test
  void aChatHandlerThatThrows() throws Exception {
    start(
        HelloServer.builder()
            .onChat(
                session -> {
                  throw new IllegalStateException("cannot chat with " + session.receive());
                }));
    assertThat(failedSession()).isEqualTo("UNKNOWN");
    assertThat(logs.atOrAbove(Level.FINEST))
        .singleElement()
        .asString()
        .matches(
            "WARNING io\\.hellogrpc\\.server: Channel handler threw; the call fails with UNKNOWN"
                + " \\(method hello\\.v1\\.HelloService/Channel, peer 127\\.0\\.0\\.1:\\d+, "
                + PRINCIPAL.replace("\\", "\\\\")
                + "\\) \\[java\\.lang\\.IllegalStateException: cannot chat with first\\]");
  }

  /** Sends one message on a session and returns the status code it ends with. */
  private String failedSession() throws Exception {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer alice_WARNING:_forged");
    CompletableFuture<String> end = new CompletableFuture<>();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        HelloServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .channel(
                new StreamObserver<>() {
                  @Override
                  public void onNext(io.hellogrpc.api.proto.String reply) {}

                  @Override
                  public void onError(Throwable t) {
                    end.complete(
                        ((StatusRuntimeException) t).getStatus().getCode().toString());
                  }

                  @Override
                  public void onCompleted() {
                    end.complete("OK");
                  }
                });
    requests.onNext(text("first"));
    return end.get(10, TimeUnit.SECONDS);
  }
}
