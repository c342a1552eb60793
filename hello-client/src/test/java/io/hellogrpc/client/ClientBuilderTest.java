package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientBuilderTest {
  @Test
  void settersRefuseBadValuesNamingThem() {
    HelloClient.Builder builder = HelloClient.builder();
    assertThatThrownBy(() -> builder.target("local host:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'local host:1'");
    assertThatThrownBy(() -> builder.target("")).hasMessageContaining("''");
    assertThatThrownBy(() -> builder.target(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.receiveBufferSize(0))
        .hasMessage("receiveBufferSize must be at least 1: 0");
    assertThatThrownBy(() -> builder.maxMessageSize(0))
        .hasMessage("maxMessageSize must be at least 1 byte: 0");
    assertThatThrownBy(() -> builder.helloDeadline(Duration.ZERO))
        .hasMessage("helloDeadline must be positive: PT0S");
    assertThatThrownBy(() -> builder.chatDeadline(Duration.ofSeconds(-2)))
        .hasMessage("chatDeadline must be positive: PT-2S");
    assertThatThrownBy(() -> builder.shutdownGracePeriod(Duration.ofMillis(-1)))
        .hasMessage("shutdownGracePeriod must not be negative: PT-0.001S");
    assertThatThrownBy(() -> builder.callbackExecutor(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void productionSettersRefuseBadValuesNamingThem(@TempDir Path dir) {
    HelloClient.Builder builder = HelloClient.builder();
    assertThatThrownBy(() -> builder.addresses("127.0.0.1:1", "no-port"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address 'no-port' has no port: write host:port, such as 'no-port:8443'");
    assertThatThrownBy(() -> builder.addresses("[::1]:70000"))
        .hasMessage("address '[::1]:70000' has port 70000: a port must be from 1 to 65535");
    assertThatThrownBy(() -> builder.addresses()).hasMessage("addresses needs at least one host:port");
    assertThatThrownBy(() -> builder.helloMaxAttempts(6))
        .hasMessage("helloMaxAttempts must be between 1 and 5: 6");
    assertThatThrownBy(() -> builder.chatIdleTimeout(Duration.ZERO))
        .hasMessage("chatIdleTimeout must be positive: PT0S");
    assertThatThrownBy(() -> builder.keepAliveTime(Duration.ofSeconds(5)))
        .hasMessage("keepAliveTime must be at least 10 seconds: PT5S");
    assertThatThrownBy(() -> builder.keepAliveTimeout(Duration.ofSeconds(-1)))
        .hasMessage("keepAliveTimeout must be positive: PT-1S");
    assertThatThrownBy(() -> builder.token("two words"))
        .hasMessage(
            "token has characters other than visible ASCII (9 characters; the value is not"
                + " repeated here)");
    Path missing = dir.resolve("ca.pem");
    assertThatThrownBy(() -> builder.trustedCertificates(missing))
        .hasMessageStartingWith("cannot read trusted certificates " + missing);
  }

  @Test
  void targetRefusesAPortGrpcCouldNotUseOrWouldGuess() {
    HelloClient.Builder builder = HelloClient.builder();
    // Accepted before: then an uncaught exception on a grpc thread, and calls that never connect.
    assertThatThrownBy(() -> builder.target("localhost:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target 'localhost:99999' has port 99999: a port must be from 1 to 65535");
    assertThatThrownBy(() -> builder.target("localhost:0"))
        .hasMessage("target 'localhost:0' has port 0: a port must be from 1 to 65535");
    assertThatThrownBy(() -> builder.target("localhost:12345678901"))
        .hasMessage(
            "target 'localhost:12345678901' has port 12345678901: a port must be from 1 to 65535");
    // Accepted before, meaning port 80.
    assertThatThrownBy(() -> builder.target("localhost"))
        .hasMessage("target 'localhost' has no port: write host:port, such as 'localhost:8443'");
    assertThatThrownBy(() -> builder.target("localhost:"))
        .hasMessage("target 'localhost:' has no port: write host:port, such as 'localhost:8443'");
    assertThatThrownBy(() -> builder.target("localhost:http"))
        .hasMessage("target 'localhost:http' has port 'http', which is not a number");
    assertThatThrownBy(() -> builder.target(":1234"))
        .hasMessage("target ':1234' has no host: write host:port, such as 'localhost:8443'");
    assertThatThrownBy(() -> builder.target("::1:1234"))
        .hasMessage(
            "target '::1:1234' has an IPv6 address without brackets: write it in brackets, such as"
                + " '[::1]:8443'");
    assertThatThrownBy(() -> builder.target("[::1]"))
        .hasMessage("target '[::1]' has no port: write host:port, such as '[::1]:8443'");
    assertThatThrownBy(() -> builder.target("localhost/hello:1"))
        .hasMessage(
            "target 'localhost/hello:1' has 'localhost/hello' as its host, which is not a host name"
                + " or IP address");
    assertThatThrownBy(() -> builder.target("[localhost]:1"))
        .hasMessage(
            "target '[localhost]:1' has a malformed IPv6 address: write it in brackets, such as"
                + " '[::1]:8443'");
  }

  @Test
  void targetChecksTheNameAndServerPortsOfADnsUriAndAcceptsOtherResolversUris() {
    HelloClient.Builder builder = HelloClient.builder();
    assertThatThrownBy(() -> builder.target("dns:///localhost:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "target 'dns:///localhost:99999' has port 99999: a port must be from 1 to 65535");
    assertThatThrownBy(() -> builder.target("dns://8.8.8.8:70000/localhost:1234"))
        .hasMessage(
            "target 'dns://8.8.8.8:70000/localhost:1234' has port 70000: a port must be from 1 to"
                + " 65535");
    assertThatThrownBy(() -> builder.target("dns:///[::1]:1234"))
        .hasMessageStartingWith("target 'dns:///[::1]:1234' is not a valid URI (Illegal character")
        .hasMessageEndingWith(
            "write host:port, or percent-encode the URI (IPv6 brackets as %5B and %5D)");
    assertThatThrownBy(() -> builder.target("unix:///tmp/hello.sock"))
        .hasMessage(
            "target 'unix:///tmp/hello.sock' is a Unix domain socket, which this client does not"
                + " support: it connects over TCP (host:port), or in-process with inProcess(name)");
    assertThatThrownBy(() -> builder.target("nosuch:///localhost:1234"))
        .hasMessage(
            "target 'nosuch:///localhost:1234' has the scheme 'nosuch', which no gRPC name resolver"
                + " here handles: write host:port, or a URI such as dns:///host:port");

    for (String accepted :
        List.of(
            "localhost:1",
            "127.0.0.1:65535",
            "[::1]:1234",
            "dns:///localhost:1234",
            "dns://8.8.8.8:53/localhost:1234",
            "dns:///localhost", // a URI: the user chose grpc's default port
            "dns:///%5B::1%5D:1234")) {
      assertThatCode(() -> builder.target(accepted)).as(accepted).doesNotThrowAnyException();
    }
  }

  @Test
  void clientCertificateRefusesAKeyThatDoesNotMatchOrCannotBeRead(@TempDir Path dir) {
    HelloClient.Builder builder = HelloClient.builder();
    Path certificate = TestCertificates.CLIENT_CERT.copyTo(dir);
    Path otherKey = TestCertificates.UNRELATED_KEY.copyTo(dir);
    // Accepted before: every handshake then failed with KEY_VALUES_MISMATCH.
    assertThatThrownBy(() -> builder.clientCertificate(certificate, otherKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "client private key " + otherKey + " does not match the certificate 'CN=hello-grpc"
                + " test client' in client certificate chain " + certificate + ": the"
                + " certificate's public key is not this key's; give the private key the"
                + " certificate was issued for");
    assertThatThrownBy(
            () ->
                builder.clientCertificate(
                    TestCertificates.RSA_SERVER_CERT.stream(),
                    TestCertificates.RSA_SERVER_KEY_PKCS1.stream()))
        .hasMessage(
            "client private key is PKCS#1 (BEGIN RSA PRIVATE KEY), but a PKCS#8 key (BEGIN"
                + " PRIVATE KEY) is needed: convert it with `openssl pkcs8 -topk8 -nocrypt -in"
                + " key.pem -out key.pkcs8.pem`");
  }

  @Test
  void buildRefusesSettingsThatContradictEachOther() {
    assertThatThrownBy(
            () -> HelloClient.builder().target("localhost:1").addresses("localhost:2").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "target(\"localhost:1\") and addresses([localhost:2]) are alternatives: set one");
    assertThatThrownBy(() -> HelloClient.builder().inProcess("x").tls().build())
        .hasMessage(
            "TLS settings need target(...) or addresses(...): an in-process channel has no"
                + " transport to secure");
    assertThatThrownBy(
            () -> HelloClient.builder().addresses("10.0.0.1:443").token("t").build())
        .hasMessageStartingWith("token(...) would be sent in plaintext to [10.0.0.1:443]");
  }

  @Test
  void buildNeedsExactlyOneWayToTheServer() {
    assertThatThrownBy(() -> HelloClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set target(\"host:port\"), addresses(...) or inProcess(name) before build()");
    assertThatThrownBy(() -> HelloClient.builder().target("localhost:1").inProcess("x").build())
        .hasMessage("target(\"localhost:1\") and inProcess(\"x\") are alternatives: set one");
  }
}
