package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.Caller;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
    assertThat(Captured.run("client", "--messages").err())
        .contains("--messages needs a value: --messages N");
  }

  @Test
  void anUnknownOptionIsReportedAsUnknownWithTheCommandsUsage() throws Exception {
    // Was "--port needs a value": an unknown option last on the line was taken for a valued one.
    Captured last = Captured.run("demo", "--port");
    assertThat(last.exitCode()).isEqualTo(2);
    assertThat(last.err())
        .startsWith("unknown option --port (demo --help lists the options)\n")
        .contains("usage: java -jar hello-examples.jar demo [options]");
    assertThat(Captured.run("server", "--verbose").err())
        .startsWith("unknown option --verbose (server --help lists the options)");
    // Was taken as --verbose with the value "--messages", then refused by name.
    assertThat(Captured.run("client", "--verbose", "--messages", "5").err())
        .startsWith("unknown option --verbose (client --help lists the options)");
    assertThat(Captured.run("client", "stray").err())
        .startsWith("expected an option such as --help, got 'stray'");
    Captured endpoint = Captured.run("client", "--otlp-endpoint", "localhost:4318");
    assertThat(endpoint.exitCode()).isEqualTo(2);
    assertThat(endpoint.err())
        .startsWith(
            "--otlp-endpoint must be an http:// or https:// URL, such as http://localhost:4318:"
                + " 'localhost:4318'\n");
  }

  @Test
  void eachCommandsHelpListsItsOptionsAndExitsZero() throws Exception {
    Captured server = Captured.run("server", "--help");
    assertThat(server.exitCode()).isZero();
    assertThat(server.err()).isEmpty();
    assertThat(server.out())
        .startsWith("usage: java -jar hello-examples.jar server [options]\n")
        .contains("  --port P             port to listen on (default 1234; 0 picks a free one)\n")
        .contains("--host H", "--tls-cert F", "--tls-key F", "--client-ca F", "--token T")
        .contains("  --reflection         serve server reflection, for grpcurl\n")
        .contains(
            "  --log-callers        print each call's method, peer, principal and x-request-id\n")
        .contains("  --metrics-port P     serve Prometheus metrics at http://HOST:P/metrics\n")
        .contains(
            "  --otlp-endpoint URL  send traces and metrics over OTLP/HTTP, such as"
                + " http://localhost:4318\n")
        .endsWith("  --help               print this help and exit\n");

    Captured client = Captured.run("client", "--help");
    assertThat(client.exitCode()).isZero();
    assertThat(client.out())
        .startsWith("usage: java -jar hello-examples.jar client [options]\n")
        .contains("  --target HOST:PORT   the server (default localhost:1234)\n")
        .contains(
            "  --header NAME=VALUE  send this request header with every call; a -bin NAME takes"
                + " base64 (repeatable)\n")
        .contains("--messages N", "--duration D", "--tls-ca F", "--tls-cert F", "--tls-key F")
        .contains("--token T", "--otlp-endpoint URL")
        .doesNotContain("--port", "--metrics-port");

    Captured demo = Captured.run("demo", "--help");
    assertThat(demo.exitCode()).isZero();
    assertThat(demo.out())
        .isEqualTo(
            String.join(
                "\n",
                "usage: java -jar hello-examples.jar demo [options]",
                "",
                "A server embedded on a free port of 127.0.0.1 and a client playing the Go",
                "tutorial's scenario against it: one Hello, then a Channel session where one"
                    + " thread",
                "sends and another receives. Prints a summary with the rate.",
                "",
                "options:",
                "  --duration D  how long the session runs, like 500ms, 10s or 2m (default 1s)",
                "  --help        print this help and exit",
                ""));

    Captured overview = Captured.run("--help");
    assertThat(overview.exitCode()).isZero();
    assertThat(overview.out())
        .contains("  server  the tutorial's server; Ctrl-C or SIGTERM drains it\n")
        .contains("'java -jar hello-examples.jar <command> --help' lists a command's options.");
  }

  @Test
  void whatTheLibraryRefusesIsPrintedAsItSaysIt() throws Exception {
    Captured badPort = Captured.run("client", "--target", "localhost:99999");
    assertThat(badPort.exitCode()).isEqualTo(1);
    assertThat(badPort.err())
        .isEqualTo("target 'localhost:99999' has port 99999: a port must be from 1 to 65535\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Captured inUse =
          Captured.run(
              "server", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(inUse.exitCode()).isEqualTo(1);
      assertThat(inUse.err())
          .startsWith(
              "could not listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
    }
  }

  @Test
  void theReadmeEmbeddingExampleRuns() throws Exception {
    assertThat(printedBy(() -> EmbeddingExample.main(new String[0])))
        .containsExactly("hello:Hello Service", "hello:Hello server", "null");
  }

  @Test
  void theReadmeHeadersExampleRuns() throws Exception {
    assertThat(printedBy(() -> HeadersExample.main(new String[0])))
        .containsExactly("hello:you (tenant acme, request r-42, from 127.0.0.1)", "acme:hi");
  }

  @Test
  void theReadmeEventListenerExampleRuns() throws Exception {
    assertThat(printedBy(() -> EventListenerExample.main(new String[0])))
        .containsExactly("Hellos {OK=1}", "sessions {OK=1}, 3 messages received");
  }

  @Test
  void theReadmeCallSettingsExampleRuns() throws Exception {
    assertThat(printedBy(() -> CallSettingsExample.main(new String[0])))
        .containsExactly("hello:quick", "hello:row 1");
  }

  @Test
  void theReadmeCertificateIdentityExampleRuns(@TempDir Path dir) throws Exception {
    Map.of(
            "server.pem", TestCertificates.SERVER_CERT,
            "server.key", TestCertificates.SERVER_KEY,
            "ca.pem", TestCertificates.CA,
            "clients-ca.pem", TestCertificates.IDENTITY_CA,
            "client.pem", TestCertificates.IDENTITY_CLIENT_CERT,
            "client.key", TestCertificates.IDENTITY_CLIENT_KEY)
        .forEach(
            (name, pem) -> {
              try {
                Files.write(dir.resolve(name), pem.bytes());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(printedBy(() -> CertificateIdentityExample.main(new String[] {dir.toString()})))
        .containsExactly(
            "hello:you from spiffe://example.org/ns/prod/sa/orders (O=Example,CN=orders)");
  }

  private interface Program {
    void run() throws Exception;
  }

  /** The lines {@code program} printed to System.out. */
  private static List<String> printedBy(Program program) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      program.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void clientSendsItsHeadersWithTheHelloAndTheSession() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  seen.add("Hello " + Caller.headers() + " trace=" + trace(Caller.binaryHeader("trace-bin")));
                  return "hello:" + name;
                })
            .onChat(
                session -> {
                  seen.add("Channel " + session.headers());
                  for (String message : session.messages()) {
                    session.send("hello:" + message);
                  }
                })
            .start()) {
      Captured run =
          Captured.run(
              "client", "--target", "127.0.0.1:" + server.port(), "--messages", "10",
              "--header", "x-request-id=r-42", "--header", "x-tenant=acme",
              "--header", "trace-bin=AAH/");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("sent 10, received 10, all in order");
      assertThat(seen)
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).contains("x-request-id=r-42, x-tenant=acme"));
      assertThat(seen.get(0)).startsWith("Hello ").endsWith(" trace=[0, 1, -1]");
      assertThat(seen.get(1)).startsWith("Channel ");
    }
  }

  private static String trace(Optional<byte[]> bytes) {
    return bytes.map(Arrays::toString).orElse("none");
  }

  @Test
  void clientRefusesAMalformedHeaderWithItsUsage() throws Exception {
    Captured noValue = Captured.run("client", "--header", "x-request-id");
    assertThat(noValue.exitCode()).isEqualTo(2);
    assertThat(noValue.err())
        .startsWith("--header needs NAME=VALUE, such as x-request-id=r-42: 'x-request-id'\n")
        .contains("usage: java -jar hello-examples.jar client [options]");
    assertThat(Captured.run("client", "--header", "=v").err())
        .startsWith("--header needs NAME=VALUE, such as x-request-id=r-42: '=v'");

    Captured upper = Captured.run("client", "--header", "X-Request-Id=1");
    assertThat(upper.exitCode()).isEqualTo(2);
    assertThat(upper.err())
        .startsWith(
            "--header X-Request-Id=1: header name 'X-Request-Id' has uppercase letters: HTTP/2"
                + " header names are lowercase; use 'x-request-id'\n");
    assertThat(Captured.run("client", "--header", "grpc-timeout=1S").err())
        .startsWith(
            "--header grpc-timeout=1S: header 'grpc-timeout' is reserved: names starting grpc-"
                + " belong to gRPC itself");
    assertThat(Captured.run("client", "--header", "x-bad=tab\there").err())
        .startsWith("--header x-bad=tab\there: header 'x-bad' has the control character U+0009");
    Captured notBase64 = Captured.run("client", "--header", "trace-bin=not base64!");
    assertThat(notBase64.exitCode()).isEqualTo(2);
    assertThat(notBase64.err()).startsWith("--header trace-bin=...: a binary header's value is base64");
  }
}
