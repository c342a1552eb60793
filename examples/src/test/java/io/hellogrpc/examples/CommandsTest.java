package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CommandsTest {
  @Test
  void demoPlaysTheTutorialAndSummarizes() throws Exception {
    Captured run = Captured.run("demo", "--duration", "1s");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("From Server: hello:Hello Service")
        .contains("Stream server : hello:Hello server 0")
        .containsPattern("sent (\\d+), received \\1, all in order, \\d+ messages/s");
  }

  @Test
  void clientChecksEveryReplyAgainstTheServer() throws Exception {
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start()) {
      Captured run =
          Captured.run("client", "--target", "127.0.0.1:" + server.port(), "--messages", "2000");
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .startsWith("From Server: hello:Hello Service")
          .contains("Stream server : hello:0")
          .contains("sent 2000, received 2000, all in order");
    }
  }

  @Test
  void clientFailsOnTheFirstReplyOutOfLine() throws Exception {
    try (HelloServer server =
        HelloServer.builder().host("127.0.0.1").port(0).onChannel(m -> "hi:" + m).start()) {
      Captured run =
          Captured.run("client", "--target", "127.0.0.1:" + server.port(), "--messages", "10");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).contains("FAILED: reply 0 was 'hi:0', expected 'hello:0'");
    }
  }

  @Test
  void clientFailsClearlyWithoutAServer() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    Captured run = Captured.run("client", "--target", "127.0.0.1:" + port, "--messages", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("failed: UNAVAILABLE").contains("Connection refused");
  }

  @Test
  void clientTalksMutualTlsWithAToken(@TempDir Path dir) throws Exception {
    try (HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
            .requireClientCertificates(TestCertificates.CA.stream())
            .requireToken("s3cret")
            .start()) {
      String target = "localhost:" + server.port();
      String ca = TestCertificates.CA.copyTo(dir).toString();
      String cert = TestCertificates.CLIENT_CERT.copyTo(dir).toString();
      String key = TestCertificates.CLIENT_KEY.copyTo(dir).toString();

      Captured run =
          Captured.run(
              "client", "--target", target, "--messages", "100", "--tls-ca", ca,
              "--tls-cert", cert, "--tls-key", key, "--token", "s3cret");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("sent 100, received 100, all in order");

      Captured wrongToken =
          Captured.run(
              "client", "--target", target, "--messages", "1", "--tls-ca", ca,
              "--tls-cert", cert, "--tls-key", key, "--token", "guess");
      assertThat(wrongToken.exitCode()).isEqualTo(1);
      assertThat(wrongToken.err()).contains("failed: UNAUTHENTICATED: invalid bearer token");
    }
  }

  @Test
  void securityOptionsThatCannotWorkGetUsage() throws Exception {
    assertThat(Captured.run("client", "--token", "t").err())
        .contains("token(...) would be sent in plaintext to 'localhost:1234'");
    assertThat(Captured.run("client", "--tls-cert", "c.pem").err())
        .contains("--tls-cert and --tls-key go together: give both");
    assertThat(Captured.run("server", "--tls-key", "k.pem").err())
        .contains("--tls-cert and --tls-key go together: give both");
    assertThat(Captured.run("server", "--client-ca", "ca.pem").err())
        .contains("--client-ca needs --tls-cert");
    Captured missing = Captured.run("client", "--tls-ca", "/no/such/ca.pem");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("cannot read trusted certificates /no/such/ca.pem");
  }

  @Test
  void badCommandLinesGetUsageAndExitTwo() throws Exception {
    assertThat(Captured.run().exitCode()).isEqualTo(2);
    Captured unknown = Captured.run("serve");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command: serve").contains("usage:");
    assertThat(Captured.run("client", "--messages", "x").err())
        .contains("--messages must be a whole number: 'x'");
    assertThat(Captured.run("client", "--messages", "5", "--duration", "1s").err())
        .contains("--messages and --duration are alternatives");
    assertThat(Captured.run("client", "--duration", "soon").err())
        .contains("--duration must be a positive duration like 500ms, 10s or 2m: 'soon'");
    assertThat(Captured.run("server", "--port", "99999").err())
        .contains("--port must be between 0 and 65535: 99999");
    assertThat(Captured.run("demo", "--port").err()).contains("--port needs a value");
  }

  @Test
  void theReadmeEmbeddingExampleRuns() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      EmbeddingExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("hello:Hello Service", "hello:Hello server", "null");
  }
}
