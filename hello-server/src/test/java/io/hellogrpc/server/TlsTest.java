package io.hellogrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS as a plain grpc client sees them, over Netty on 127.0.0.1. */
@Timeout(30)
class TlsTest {
  private final List<ManagedChannel> channels = new ArrayList<>();
  private HelloServer server;

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow();
    assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }

  private String hello(ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("localhost:" + server.port(), credentials).build();
    channels.add(channel);
    return HelloServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .hello(io.hellogrpc.api.proto.String.newBuilder().setValue("tls").build())
        .getValue();
  }

  private static TlsChannelCredentials.Builder trustingTheTestCa() throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(TestCertificates.CA.stream());
  }

  private static void assertRefused(ThrowingRunnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void servesOverTlsFromPemFilesAndRefusesPlaintext(@TempDir Path dir) throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(
                TestCertificates.SERVER_CERT.copyTo(dir), TestCertificates.SERVER_KEY.copyTo(dir))
            .start();

    assertThat(hello(trustingTheTestCa().build())).isEqualTo("hello:tls");
    assertRefused(() -> hello(InsecureChannelCredentials.create()));
    assertRefused(() -> hello(TlsChannelCredentials.create())); // the JVM does not trust our CA
  }

  @Test
  void servesWithAnRsaKeyToo() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(
                TestCertificates.RSA_SERVER_CERT.stream(), TestCertificates.RSA_SERVER_KEY.stream())
            .start();

    assertThat(
            hello(
                TlsChannelCredentials.newBuilder()
                    .trustManager(TestCertificates.OTHER_CA.stream())
                    .build()))
        .isEqualTo("hello:tls");
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
            .requireClientCertificates(TestCertificates.CA.stream())
            .start();

    assertThat(
            hello(
                trustingTheTestCa()
                    .keyManager(
                        TestCertificates.CLIENT_CERT.stream(), TestCertificates.CLIENT_KEY.stream())
                    .build()))
        .isEqualTo("hello:tls");
    assertRefused(() -> hello(trustingTheTestCa().build()));
  }
}
