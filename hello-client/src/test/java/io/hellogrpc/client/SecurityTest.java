package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS, mutual TLS and bearer tokens, both builders end to end over Netty on 127.0.0.1. */
@Timeout(30)
class SecurityTest {
  private static final Map<String, String> USERS = Map.of("t-alice", "alice", "t-bob", "bob");

  private final List<HelloClient> clients = new ArrayList<>();
  private HelloServer server;

  @AfterEach
  void stop() {
    clients.forEach(HelloClient::close);
    server.close();
    assertThat(server.isTerminated()).isTrue();
  }

  private void start(HelloServer.Builder builder) throws Exception {
    server =
        builder
            .host("127.0.0.1")
            .port(0)
            .onHello(name -> "hello:" + name + Caller.principal().map(p -> " from " + p).orElse(""))
            .onChat(session -> session.send("you are " + session.principal().orElse("anyone")))
            .start();
  }

  private static HelloServer.Builder tlsServer() {
    return HelloServer.builder()
        .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream());
  }

  private HelloClient client(UnaryOperator<HelloClient.Builder> settings) {
    HelloClient client =
        settings.apply(HelloClient.builder().target("localhost:" + server.port())).build();
    clients.add(client);
    return client;
  }

  private static HelloClient.Builder trustingTheTestCa(HelloClient.Builder builder) {
    return builder.trustedCertificates(TestCertificates.CA.stream());
  }

  private static void assertFailsWith(StatusCode code, String description, Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
              if (description != null) {
                assertThat(e.description()).isEqualTo(description);
              }
            });
  }

  @Test
  void tlsWithTheServersCaForHelloAndChat(@TempDir Path dir) throws Exception {
    start(tlsServer());
    HelloClient client = client(c -> c.trustedCertificates(TestCertificates.CA.copyTo(dir)));

    assertThat(client.hello("tls")).isEqualTo("hello:tls");
    try (ChatSession chat = client.openChat()) {
      assertThat(chat.receive()).isEqualTo("you are anyone");
      assertThat(chat.receive()).isNull();
      assertThat(chat.end()).contains(ChatEnd.completed());
    }
  }

  @Test
  void aClientThatDoesNotTrustTheServerOrSpeaksPlaintextCannotConnect() throws Exception {
    start(tlsServer());
    assertFailsWith(StatusCode.UNAVAILABLE, null, () -> client(c -> c.tls()).hello("x"));
    assertFailsWith(StatusCode.UNAVAILABLE, null, () -> client(c -> c).hello("x"));
  }

  @Test
  void aServerCertificateTheConfiguredCaDidNotIssueIsReportedAsUntrusted() throws Exception {
    start(tlsServer());
    HelloClient client = client(c -> c.trustedCertificates(TestCertificates.OTHER_CA.stream()));
    // Was "io exception ... General OpenSslEngine problem".
    String untrusted =
        "TLS handshake failed: the server's certificate is not trusted by the configured CA"
            + " (trustedCertificates(...), else the JVM's CAs): trust the CA that issued the"
            + " server's certificate (unable to find valid certification path to requested"
            + " target)";

    assertThatThrownBy(() -> client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description()).isEqualTo(untrusted);
              assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
            });
    ChatSession chat = client.openChat();
    assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
        .contains(new ChatEnd(StatusCode.UNAVAILABLE, untrusted));
    assertFailsWith(StatusCode.UNAVAILABLE, untrusted, () -> client(c -> c.tls()).hello("x"));
  }

  @Test
  void aServerCertificateForAnotherHostIsReportedAsAHostnameMismatch() throws Exception {
    start(
        HelloServer.builder()
            .tls(
                TestCertificates.ELSEWHERE_CERT.stream(), TestCertificates.ELSEWHERE_KEY.stream()));
    HelloClient client = client(c -> c.trustedCertificates(TestCertificates.OTHER_CA.stream()));

    assertThatThrownBy(() -> client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description())
                  .startsWith(
                      "TLS handshake failed: the server's certificate is not valid for the host"
                          + " name the client connected to (hostname mismatch): connect with a"
                          + " name the certificate lists, or give the server a certificate for"
                          + " this name (No subject alternative DNS name matching localhost found")
                  .contains("subjectAlternativeNames=[DNS:elsewhere.example]");
              assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
            });
  }

  @Test
  void aTlsClientOfAPlaintextServerIsToldTheServerDoesNotSpeakTls() throws Exception {
    // The server logs the TLS hello it cannot read as HTTP/2 at INFO, with a stack trace.
    Logger transport = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport");
    Level level = transport.getLevel();
    transport.setLevel(Level.WARNING);
    try {
      start(HelloServer.builder());
      assertFailsWith(
          StatusCode.UNAVAILABLE,
          "TLS handshake failed: the server does not speak TLS (it answered in plaintext): connect"
              + " without tls() and trustedCertificates(...), or serve TLS",
          () -> client(SecurityTest::trustingTheTestCa).hello("x"));
      server.close(); // so that the connection has been logged, if at all
    } finally {
      transport.setLevel(level);
    }
  }

  @Test
  void mutualTlsAcceptsAClientCertificateAndRefusesAClientWithout(@TempDir Path dir)
      throws Exception {
    start(tlsServer().requireClientCertificates(TestCertificates.CA.stream()));

    HelloClient withCertificate =
        client(
            c ->
                trustingTheTestCa(c)
                    .clientCertificate(
                        TestCertificates.CLIENT_CERT.copyTo(dir),
                        TestCertificates.CLIENT_KEY.copyTo(dir)));
    assertThat(withCertificate.hello("mtls")).isEqualTo("hello:mtls from hello-grpc test client");
    assertFailsWith(
        StatusCode.UNAVAILABLE,
        "TLS handshake failed: the server requires a client certificate (mutual TLS) and this"
            + " client sent none it would accept: set clientCertificate(certificateChain,"
            + " privateKey) with a certificate issued by a CA the server trusts",
        () -> client(SecurityTest::trustingTheTestCa).hello("x"));
  }

  @Test
  void withSeveralAddressesEachServerIsCheckedAgainstItsOwnName() throws Exception {
    // 127.0.0.2 is loopback too on Linux, but the server certificate does not name it.
    assumeTrue(canListenOn("127.0.0.2"), "127.0.0.2 is not a local address here");
    start(tlsServer());
    try (HelloServer unnamed =
        tlsServer().host("127.0.0.2").port(0).onHello(name -> "the wrong server").start()) {
      // Were the first address's name used for every server, the handshake with localhost
      // would be checked against 127.0.0.2 too, fail, and leave no server to answer.
      HelloClient client =
          trustingTheTestCa(HelloClient.builder())
              .addresses("127.0.0.2:" + unnamed.port(), "localhost:" + server.port())
              .waitForReady(true)
              .build();
      clients.add(client);
      assertThat(client.hello("x")).isEqualTo("hello:x");
    }
  }

  @SuppressWarnings("try") // the socket is only bound and closed
  private static boolean canListenOn(String address) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theTokenSaysWhoCallsAndAWrongOrMissingOneIsRefused() throws Exception {
    start(tlsServer().requireToken(USERS::get));

    HelloClient alice = client(c -> trustingTheTestCa(c).token("t-alice"));
    assertThat(alice.hello("x")).isEqualTo("hello:x from alice");
    try (ChatSession chat = alice.openChat()) {
      assertThat(chat.receive()).isEqualTo("you are alice");
    }
    assertFailsWith(
        StatusCode.UNAUTHENTICATED,
        "invalid bearer token",
        () -> client(c -> trustingTheTestCa(c).token("t-mallory")).hello("x"));
    assertFailsWith(
        StatusCode.UNAUTHENTICATED,
        "missing bearer token: send the header 'authorization: Bearer <token>'",
        () -> client(SecurityTest::trustingTheTestCa).hello("x"));
    ChatSession refused = client(SecurityTest::trustingTheTestCa).openChat();
    assertThat(refused.awaitEnd(Duration.ofSeconds(10)))
        .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.UNAUTHENTICATED));
  }

  @Test
  void aSuppliedTokenIsAskedForAsEachCallStarts() throws Exception {
    start(tlsServer().requireToken(USERS::get));
    AtomicInteger calls = new AtomicInteger();
    HelloClient client =
        client(
            c ->
                trustingTheTestCa(c)
                    .token(() -> calls.getAndIncrement() % 2 == 0 ? "t-alice" : "t-bob"));

    assertThat(client.hello("1")).isEqualTo("hello:1 from alice");
    assertThat(client.hello("2")).isEqualTo("hello:2 from bob");
    assertThat(client.helloAsync("3").get()).isEqualTo("hello:3 from alice");
  }

  @Test
  void aFailingTokenSupplierFailsThatCallOnly() throws Exception {
    start(tlsServer().requireToken(USERS::get));
    AtomicInteger calls = new AtomicInteger();
    HelloClient client =
        client(
            c ->
                trustingTheTestCa(c)
                    .token(
                        () -> {
                          if (calls.getAndIncrement() == 0) {
                            throw new IllegalStateException("token service down");
                          }
                          return "t-bob";
                        }));

    assertFailsWith(
        StatusCode.UNAUTHENTICATED,
        "the token supplier failed: java.lang.IllegalStateException: token service down",
        () -> client.hello("x"));
    assertThat(client.hello("y")).isEqualTo("hello:y from bob");
  }

  @Test
  void aTokenGoesOverPlaintextOnlyWhenAllowed() throws Exception {
    start(HelloServer.builder().requireToken("shared-token"));
    assertThatThrownBy(() -> HelloClient.builder().target("localhost:1").token("shared-token").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "token(...) would be sent in plaintext to 'localhost:1': use tls() or"
                + " trustedCertificates(...), or allowTokenOverPlaintext() on a trusted network");

    HelloClient allowed = client(c -> c.token("shared-token").allowTokenOverPlaintext());
    assertThat(allowed.hello("mesh")).isEqualTo("hello:mesh from token");
  }
}
