package io.hellogrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ServerBuilderTest {
  @Test
  void settersRefuseBadValuesNamingThem() {
    HelloServer.Builder builder = HelloServer.builder();
    assertThatThrownBy(() -> builder.port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535: -1");
    assertThatThrownBy(() -> builder.port(70_000)).hasMessageContaining("70000");
    assertThatThrownBy(() -> builder.receiveBufferSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receiveBufferSize must be at least 1: 0");
    assertThatThrownBy(() -> builder.maxMessageSize(-5)).hasMessageContaining("-5");
    assertThatThrownBy(() -> builder.shutdownGracePeriod(Duration.ofSeconds(-1)))
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> builder.host(" ")).hasMessageContaining("' '");
    assertThatThrownBy(() -> builder.inProcess("")).hasMessageContaining("''");
    assertThatThrownBy(() -> builder.onHello(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.executor(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void productionSettersRefuseBadValuesNamingThem(@TempDir Path dir) throws IOException {
    HelloServer.Builder builder = HelloServer.builder();
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> builder.tls(missing, missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read tls certificate chain " + missing);
    Path notPem = Files.writeString(dir.resolve("cert.txt"), "hello");
    assertThatThrownBy(() -> builder.requireClientCertificates(notPem))
        .hasMessage("client CA certificates " + notPem + " is not PEM: no -----BEGIN line");
    assertThatThrownBy(() -> builder.requireToken(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token is empty");
    assertThatThrownBy(() -> builder.requireToken("has space"))
        .hasMessage(
            "token has characters other than visible ASCII (9 characters; the value is not"
                + " repeated here)");
    assertThatThrownBy(() -> builder.maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnections must be at least 1: 0");
    assertThatThrownBy(() -> builder.maxConnectionsPerAddress(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnectionsPerAddress must be at least 1: -2");
    assertThatThrownBy(() -> builder.maxConcurrentCallsPerConnection(0))
        .hasMessage("maxConcurrentCallsPerConnection must be at least 1: 0");
    assertThatThrownBy(() -> builder.maxRstFramesPerWindow(-1, Duration.ofSeconds(10)))
        .hasMessage("maxRstFramesPerWindow frames must not be negative: -1");
    assertThatThrownBy(() -> builder.maxRstFramesPerWindow(10, Duration.ofMillis(1500)))
        .hasMessage("maxRstFramesPerWindow window must be whole seconds, at least 1: PT1.5S");
    assertThatThrownBy(() -> builder.handshakeTimeout(Duration.ZERO))
        .hasMessage("handshakeTimeout must be positive: PT0S");
    assertThatThrownBy(() -> builder.keepAliveTime(Duration.ofSeconds(-1)))
        .hasMessage("keepAliveTime must be positive: PT-1S");
    assertThatThrownBy(() -> builder.keepAliveTimeout(Duration.ZERO))
        .hasMessage("keepAliveTimeout must be positive: PT0S");
    assertThatThrownBy(() -> builder.permitKeepAliveTime(Duration.ZERO))
        .hasMessage("permitKeepAliveTime must be positive: PT0S");
    assertThatThrownBy(() -> builder.maxConnectionIdle(Duration.ZERO))
        .hasMessage("maxConnectionIdle must be positive: PT0S");
    assertThatThrownBy(() -> builder.maxConnectionAge(Duration.ZERO))
        .hasMessage("maxConnectionAge must be positive: PT0S");
    assertThatThrownBy(() -> builder.maxConnectionAgeGrace(Duration.ofSeconds(-3)))
        .hasMessage("maxConnectionAgeGrace must not be negative: PT-3S");
  }

  @Test
  void startRefusesTlsItCannotUseOrDoesNotNeed() throws IOException {
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .inProcess("x")
                    .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tls(...) needs port(n): an in-process server has no transport to secure");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .port(0)
                    .requireClientCertificates(TestCertificates.CA.stream())
                    .start())
        .hasMessage("requireClientCertificates(...) needs tls(certificateChain, privateKey)");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
                    .requireClientCertificates(TestCertificates.SERVER_KEY.stream()) // no CA
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "tls(certificateChain, privateKey) or requireClientCertificates(...) is not usable: ");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .port(0)
                    .maxConnectionAgeGrace(Duration.ofSeconds(5))
                    .start())
        .hasMessage("maxConnectionAgeGrace(PT5S) needs maxConnectionAge(...)");
  }

  @Test
  void tlsRefusesAKeyThatDoesNotMatchItsCertificate(@TempDir Path dir) {
    // Accepted before: start() succeeded, then every handshake failed.
    Path certificate = TestCertificates.SERVER_CERT.copyTo(dir);
    Path otherKey = TestCertificates.UNRELATED_KEY.copyTo(dir);
    assertThatThrownBy(() -> HelloServer.builder().tls(certificate, otherKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tls private key " + otherKey + " does not match the certificate 'CN=localhost' in tls"
                + " certificate chain " + certificate + ": the certificate's public key is not"
                + " this key's; give the private key the certificate was issued for");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .tls(
                        TestCertificates.RSA_SERVER_CERT.stream(),
                        TestCertificates.UNRELATED_RSA_KEY.stream()))
        .hasMessageStartingWith(
            "tls private key does not match the certificate 'CN=localhost' in tls certificate"
                + " chain: ");
  }

  @Test
  void tlsRefusesKeyFormatsItCannotReadSayingHowToConvert(@TempDir Path dir) {
    Path certificate = TestCertificates.RSA_SERVER_CERT.copyTo(dir);
    Path pkcs1 = TestCertificates.RSA_SERVER_KEY_PKCS1.copyTo(dir);
    String converted = dir.resolve("rsa-server.pkcs1.pkcs8.pem").toString();
    assertThatThrownBy(() -> HelloServer.builder().tls(certificate, pkcs1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tls private key " + pkcs1 + " is PKCS#1 (BEGIN RSA PRIVATE KEY), but a PKCS#8 key"
                + " (BEGIN PRIVATE KEY) is needed: convert it with `openssl pkcs8 -topk8 -nocrypt"
                + " -in " + pkcs1 + " -out " + converted + "`");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .tls(
                        TestCertificates.SERVER_CERT.stream(),
                        TestCertificates.SERVER_KEY_SEC1.stream()))
        .hasMessage(
            "tls private key is SEC1 (BEGIN EC PRIVATE KEY), but a PKCS#8 key (BEGIN PRIVATE KEY)"
                + " is needed: convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out"
                + " key.pkcs8.pem`");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .tls(
                        TestCertificates.SERVER_CERT.stream(),
                        TestCertificates.SERVER_KEY_ENCRYPTED.stream()))
        .hasMessageStartingWith("tls private key is encrypted, which is not supported: ");
  }

  @Test
  void startRefusesContradictionsNamingThem() {
    assertThatThrownBy(() -> HelloServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set port(n) or inProcess(name) before start()");
    assertThatThrownBy(() -> HelloServer.builder().port(1234).inProcess("x").start())
        .hasMessage("port(1234) and inProcess(\"x\") are alternatives: set one");
    assertThatThrownBy(() -> HelloServer.builder().inProcess("x").host("127.0.0.1").start())
        .hasMessageContaining("host(\"127.0.0.1\") needs port(n)");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .inProcess("x")
                    .onChannel(m -> m)
                    .onChat(session -> {})
                    .start())
        .hasMessage("onChannel and onChat are alternatives for the Channel method: set one");
  }

  @Test
  void portZeroPicksAFreePort() throws Exception {
    HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
    try {
      assertThat(server.port()).isPositive();
    } finally {
      server.close();
    }
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void aPortInUseFailsStartNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      // Was "could not listen on 127.0.0.1:P: Failed to bind to address /127.0.0.1:P".
      assertThatThrownBy(() -> HelloServer.builder().host("127.0.0.1").port(port).start())
          .isInstanceOf(IOException.class)
          .hasMessage(
              "could not listen on 127.0.0.1:" + port + ": address already in use (another"
                  + " process, or another server in this one, listens there): stop it, or choose"
                  + " another port; port(0) picks a free one")
          .rootCause() // grpc's own exception, kept
          .hasMessageContaining("Address already in use");
    }
  }

  @Test
  void anAddressThatIsNotThisMachinesFailsStartSayingWhatTheSystemSaid() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    assertThatThrownBy(() -> HelloServer.builder().host("192.0.2.1").port(0).start())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("could not listen on 192.0.2.1:0: ")
        .hasMessageContaining("Cannot assign requested address");
  }

  @Test
  void anInProcessServerHasNoPort() throws Exception {
    HelloServer server = HelloServer.builder().inProcess("no-port").start();
    try {
      assertThatThrownBy(server::port)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in-process");
    } finally {
      server.close();
    }
  }
}
