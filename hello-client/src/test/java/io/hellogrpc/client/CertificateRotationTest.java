package io.hellogrpc.client;

import static io.hellogrpc.testing.TestCertificates.CA;
import static io.hellogrpc.testing.TestCertificates.CLIENT_CERT;
import static io.hellogrpc.testing.TestCertificates.CLIENT_KEY;
import static io.hellogrpc.testing.TestCertificates.ELSEWHERE_CERT;
import static io.hellogrpc.testing.TestCertificates.ELSEWHERE_KEY;
import static io.hellogrpc.testing.TestCertificates.NEXT_CA;
import static io.hellogrpc.testing.TestCertificates.NEXT_CLIENT_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_CLIENT_KEY;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.OTHER_CA;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.UNRELATED_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SecretVolume;
import io.hellogrpc.testing.TestCertificates;
import io.hellogrpc.testing.TlsProbe;
import io.hellogrpc.testing.Waiting;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client, and a server, whose certificate files change under them while they run, over Netty
 * with TLS on 127.0.0.1: the client's next connection presents its new certificate and trusts its
 * new CAs, while sessions already open carry on over the connections they have.
 *
 * <p>Each client here puts one call on a connection ({@code maxConcurrentCallsPerConnection(1)}),
 * so that while a session is open the next call opens a new connection.
 */
@Timeout(30)
class CertificateRotationTest {
  private static final Duration CHECK_EVERY = Duration.ofMillis(10);
  private static final String THREAD = "hello-client-certificates-";
  private static final String UNTRUSTED =
      "TLS handshake failed: the server's certificate is not trusted by the configured CA"
          + " (trustedCertificates(...), else the JVM's CAs): trust the CA that issued the"
          + " server's certificate (unable to find valid certification path to requested target)";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path dir;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    Waiting.until("the client's certificate thread ends", () -> !certificateThreadRuns());
  }

  private static boolean certificateThreadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(THREAD) && t.isAlive());
  }

  private HelloClient client(int port, UnaryOperator<HelloClient.Builder> settings) {
    HelloClient client =
        settings
            .apply(
                HelloClient.builder()
                    .target("127.0.0.1:" + port)
                    .maxConcurrentCallsPerConnection(1))
            .build();
    resources.add(client);
    return client;
  }

  private ChatSession open(HelloClient client) {
    ChatSession chat = client.openChat();
    resources.add(chat);
    return chat;
  }

  private static String exchange(ChatSession chat, String message) throws InterruptedException {
    chat.send(message);
    return chat.poll(Duration.ofSeconds(10));
  }

  private List<String> awaitLogs(String logger, Level level, int count) {
    Waiting.until(count + " " + level + " lines", () -> logs(logger, level).size() >= count);
    return logs(logger, level);
  }

  private List<String> logs(String logger, Level level) {
    return logs.atOrAbove(level).stream()
        .filter(line -> line.startsWith(level + " " + logger + ": "))
        .toList();
  }

  private static Map<String, byte[]> files(String name, TestCertificates pem) {
    return Map.of(name, pem.bytes());
  }

  private static Map<String, byte[]> files(TestCertificates certificate, TestCertificates key) {
    return Map.of("tls.crt", certificate.bytes(), "tls.key", key.bytes());
  }

  /**
   * A server that requires a client certificate from {@link TestCertificates#CA} or
   * {@link TestCertificates#NEXT_CA} and answers each message with the subject of the certificate
   * the client presented on that connection: "a from CN=...".
   */
  private HelloServer peerEchoServer() throws IOException {
    byte[] bothCas = (pem(CA) + pem(NEXT_CA)).getBytes(StandardCharsets.US_ASCII);
    HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(SERVER_CERT.stream(), SERVER_KEY.stream())
            .requireClientCertificates(new ByteArrayInputStream(bothCas))
            .onHello(CertificateRotationTest::fromPeer)
            .onChannel(CertificateRotationTest::fromPeer)
            .start();
    resources.add(server);
    return server;
  }

  private static String fromPeer(String message) {
    return message + " from "
        + Caller.clientCertificate().map(ClientCertificate::subject).orElse("nobody");
  }

  private HelloServer helloServer(SecretVolume volume) throws IOException {
    HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(volume.file("tls.crt"), volume.file("tls.key"))
            .reloadCertificates(CHECK_EVERY)
            .start();
    resources.add(server);
    return server;
  }

  @Test
  void newConnectionsPresentTheNewClientCertificateWhileAnOpenSessionKeepsItsConnection()
      throws Exception {
    HelloServer server = peerEchoServer();
    SecretVolume volume = SecretVolume.create(dir, files(CLIENT_CERT, CLIENT_KEY));
    HelloClient client =
        client(
            server.port(),
            c ->
                c.trustedCertificates(CA.stream())
                    .clientCertificate(volume.file("tls.crt"), volume.file("tls.key"))
                    .reloadCertificates(CHECK_EVERY));
    ChatSession before = open(client);
    assertThat(exchange(before, "a")).isEqualTo("a from CN=hello-grpc test client");

    volume.update(files(NEXT_CLIENT_CERT, NEXT_CLIENT_KEY));

    assertThat(awaitLogs("io.hellogrpc.client", Level.INFO, 1))
        .containsExactly(
            "INFO io.hellogrpc.client: client certificate chain " + volume.file("tls.crt")
                + " and client private key " + volume.file("tls.key") + " changed: new"
                + " connections presenting 'CN=hello-grpc next test client' (serial 12, valid"
                + " until 2120-01-01)");
    ChatSession after = open(client);
    assertThat(exchange(after, "b")).isEqualTo("b from CN=hello-grpc next test client");
    assertThat(exchange(before, "c")).isEqualTo("c from CN=hello-grpc test client");
    assertThat(client.hello("d")).isEqualTo("d from CN=hello-grpc next test client");

    volume.update(files(NEXT_CLIENT_CERT, UNRELATED_KEY));
    assertThat(awaitLogs("io.hellogrpc.client", Level.WARNING, 1))
        .singleElement()
        .asString()
        .contains("does not match the certificate 'CN=hello-grpc next test client'")
        .endsWith(
            "; new connections keep presenting 'CN=hello-grpc next test client' (serial 12,"
                + " valid until 2120-01-01)");
    assertThat(client.hello("e")).isEqualTo("e from CN=hello-grpc next test client");
  }

  @Test
  void serverAndClientRotateToANewCaWhileASessionOpenedBeforeCarriesOn() throws Exception {
    SecretVolume serverFiles =
        SecretVolume.create(
            Files.createDirectory(dir.resolve("server")), files(SERVER_CERT, SERVER_KEY));
    SecretVolume clientFiles =
        SecretVolume.create(Files.createDirectory(dir.resolve("client")), files("ca.crt", CA));
    HelloServer server = helloServer(serverFiles);
    HelloClient client =
        client(
            server.port(),
            c -> c.trustedCertificates(clientFiles.file("ca.crt")).reloadCertificates(CHECK_EVERY));
    ChatSession before = open(client);
    assertThat(exchange(before, "before")).isEqualTo("hello:before");

    // The client trusts the next CA first: a new connection no longer trusts the server.
    clientFiles.update(files("ca.crt", NEXT_CA));
    assertThat(awaitLogs("io.hellogrpc.client", Level.INFO, 1))
        .containsExactly(
            "INFO io.hellogrpc.client: trusted certificates " + clientFiles.file("ca.crt")
                + " changed: new connections trusting 'CN=hello-grpc next test CA'");
    assertThatThrownBy(() -> client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description()).isEqualTo(UNTRUSTED);
            });

    // Then the server presents a certificate of the next CA, and new connections succeed again.
    serverFiles.update(files(NEXT_SERVER_CERT, NEXT_SERVER_KEY));
    awaitLogs("io.hellogrpc.server", Level.INFO, 1);
    assertThat(TlsProbe.serverCertificate(server.port()).getSerialNumber())
        .isEqualTo(BigInteger.valueOf(0x11));
    // The client retries its failed connection after a backoff of about a second.
    Waiting.until("the client connects again, trusting the server", () -> helloSucceeds(client));

    assertThat(exchange(before, "after")).isEqualTo("hello:after");
    before.complete();
    assertThat(before.poll(Duration.ofSeconds(10))).isNull();
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  private static boolean helloSucceeds(HelloClient client) {
    try {
      return client.hello("again").equals("hello:again");
    } catch (HelloException e) {
      assertThat(e.description()).isEqualTo(UNTRUSTED); // until then, as before
      return false;
    }
  }

  @Test
  void aReloadingClientStillChecksTheServersHostName() throws Exception {
    HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(ELSEWHERE_CERT.stream(), ELSEWHERE_KEY.stream())
            .start();
    resources.add(server);
    HelloClient client =
        client(
            server.port(),
            c -> c.trustedCertificates(OTHER_CA.copyTo(dir)).reloadCertificates(CHECK_EVERY));

    assertThatThrownBy(() -> client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e ->
                assertThat(e.description())
                    .startsWith(
                        "TLS handshake failed: the server's certificate is not valid for the"
                            + " host name the client connected to (hostname mismatch)"));
  }

  @Test
  void suppliedCertificatesAndCasAreAskedAgainAndWhatChangedIsUsed() throws Exception {
    HelloServer server = peerEchoServer();
    AtomicReference<CertificateAndKey> certificate =
        new AtomicReference<>(pair(CLIENT_CERT, CLIENT_KEY));
    AtomicReference<String> cas = new AtomicReference<>(pem(CA));
    HelloClient client =
        client(
            server.port(),
            c ->
                c.trustedCertificates(cas::get)
                    .clientCertificate(certificate::get)
                    .reloadCertificates(CHECK_EVERY));
    ChatSession before = open(client);
    assertThat(exchange(before, "a")).isEqualTo("a from CN=hello-grpc test client");

    cas.set(pem(CA) + pem(NEXT_CA));
    certificate.set(pair(NEXT_CLIENT_CERT, NEXT_CLIENT_KEY));

    assertThat(awaitLogs("io.hellogrpc.client", Level.INFO, 2))
        .containsExactlyInAnyOrder(
            "INFO io.hellogrpc.client: trusted certificates supplier changed: new connections"
                + " trusting 'CN=hello-grpc test CA', 'CN=hello-grpc next test CA'",
            "INFO io.hellogrpc.client: client certificate supplier changed: new connections"
                + " presenting 'CN=hello-grpc next test client' (serial 12, valid until"
                + " 2120-01-01)");
    assertThat(client.hello("b")).isEqualTo("b from CN=hello-grpc next test client");
    assertThat(exchange(before, "c")).isEqualTo("c from CN=hello-grpc test client");
  }

  @Test
  void reloadingNeedsSomethingToReloadAndASupplierNeedsReloading() {
    assertThatThrownBy(
            () ->
                HelloClient.builder()
                    .target("127.0.0.1:1")
                    .clientCertificate(() -> pair(CLIENT_CERT, CLIENT_KEY))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "clientCertificate(Supplier) needs reloadCertificates(checkEvery): how often to ask it"
                + " again; for material that never changes, give it as Path or stream");
    assertThatThrownBy(
            () ->
                HelloClient.builder()
                    .target("127.0.0.1:1")
                    .tls()
                    .reloadCertificates(CHECK_EVERY)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "reloadCertificates(PT0.01S) reads files again, but no trustedCertificates(...) or"
                + " clientCertificate(...) was given as Path or Supplier (streams cannot be read"
                + " again)");
    assertThatThrownBy(() -> HelloClient.builder().reloadCertificates(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reloadCertificates must be positive: PT-1S");
    assertThatThrownBy(
            () ->
                HelloClient.builder()
                    .target("127.0.0.1:1")
                    .trustedCertificates(() -> "not PEM")
                    .reloadCertificates(CHECK_EVERY)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "trusted certificates supplier's certificates holds no certificate (BEGIN"
                + " CERTIFICATE), found no PEM block");
    assertThat(certificateThreadRuns()).isFalse();
  }

  @Test
  @SuppressWarnings("try") // only built and closed
  void oneThreadChecksUntilTheClientClosesAndNoneWithoutReloading() {
    try (HelloClient plain =
        HelloClient.builder().target("127.0.0.1:1").trustedCertificates(CA.copyTo(dir)).build()) {
      assertThat(certificateThreadRuns()).isFalse();
    }
    HelloClient reloading =
        HelloClient.builder()
            .target("127.0.0.1:1")
            .trustedCertificates(CA.copyTo(dir))
            .reloadCertificates(Duration.ofMinutes(1))
            .build();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD)))
        .singleElement()
        .matches(Thread::isDaemon, "is a daemon");
    reloading.close();
    Waiting.until("the thread ends with the client", () -> !certificateThreadRuns());
  }

  /** Where the README's example fetches certificates from. */
  interface Vault {
    String read(String name);
  }

  /** The README's "Certificate rotation" example, kept compiling. */
  @SuppressWarnings("unused")
  private static void readmeExample(Vault vault) throws IOException {
    HelloServer server = HelloServer.builder()
        .port(8443)
        .tls(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key"))
        .requireClientCertificates(Path.of("/etc/tls/ca.crt"))      // reloaded too
        .reloadCertificates(Duration.ofMinutes(1))                  // read the files every minute
        .start();

    HelloClient client = HelloClient.builder()
        .target("hello.example.com:8443")
        .trustedCertificates(Path.of("/etc/tls/ca.crt"))
        .clientCertificate(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key"))
        .reloadCertificates(Duration.ofMinutes(1))
        .build();

    // Or from the application, asked as often: io.hellogrpc.api.CertificateAndKey, PEM text.
    HelloServer.builder().port(8443)
        .tls(() -> new CertificateAndKey(vault.read("tls.crt"), vault.read("tls.key")))
        .reloadCertificates(Duration.ofMinutes(1));
  }

  private static String pem(TestCertificates certificate) {
    return new String(certificate.bytes(), StandardCharsets.US_ASCII);
  }

  private static CertificateAndKey pair(TestCertificates chain, TestCertificates key) {
    return new CertificateAndKey(pem(chain), pem(key));
  }
}
