package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
        .hasMessage("an address must be host:port with a port from 1 to 65535: 'no-port'");
    assertThatThrownBy(() -> builder.addresses("[::1]:70000")).hasMessageContaining("'[::1]:70000'");
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
