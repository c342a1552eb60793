package io.hellogrpc.testing.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.HelloClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the probe relies on: a HelloClient, open or closed, refuses hello(null) before any call,
 * telling the two apart by the exception. No server is needed for that.
 */
class ClientProbeTest {
  @Test
  void tellsAnOpenClientFromAClosedOneWithoutACall() {
    HelloClient client = HelloClient.builder().inProcess("nobody-" + UUID.randomUUID()).build();
    try {
      assertThat(ClientProbe.isClosed(client)).isFalse();
    } finally {
      client.close();
    }
    assertThat(ClientProbe.isClosed(client)).isTrue();
  }
}
