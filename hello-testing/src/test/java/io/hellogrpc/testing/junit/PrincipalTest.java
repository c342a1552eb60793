package io.hellogrpc.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.Caller;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class PrincipalTest {
  @RegisterExtension
  final HelloTestServer hello =
      new HelloTestServer()
          .serverOptions(server -> server.requireToken(token -> "user-" + token))
          .clientOptions(client -> client.token("ann"));

  @Test
  void recordsWhoMadeEachCallAndOpenedEachSession() throws Exception {
    hello.onHello(name -> "hello:" + name + " as " + Caller.principal().orElse("?"));
    assertThat(hello.client().hello("x")).isEqualTo("hello:x as user-ann");
    try (HelloClient bob = hello.newClient(client -> client.token("bob"))) {
      bob.hello("y");
      try (ChatSession chat = bob.openChat()) {
        chat.send("m");
        assertThat(chat.receive()).isEqualTo("hello:m");
      }
    }

    assertThat(hello.helloCalls())
        .containsExactly(
            new RecordedCall("x", Optional.of("user-ann")),
            new RecordedCall("y", Optional.of("user-bob")));
    assertThat(hello.sessions())
        .containsExactly(new RecordedSession(java.util.List.of("m"), Optional.of("user-bob")));
  }
}
