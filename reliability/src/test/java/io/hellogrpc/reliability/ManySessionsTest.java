package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One HelloClient holding ten thousand sessions open at once to one server, every setting left at
 * its default: a server allows a thousand calls per connection, so the client must spread them
 * over connections of its own accord. All of them exchange a message while all are open, a
 * {@code hello()} is served meanwhile, and all end normally.
 */
@Timeout(300)
@ExtendWith(NoNettyLeaks.class)
class ManySessionsTest {
  private static final int SESSIONS = 10_000;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void oneClientHoldsTenThousandSessionsToOneServerWithTheDefaults() throws Exception {
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client = HelloClient.builder().target("127.0.0.1:" + server.port()).build()) {
      List<ChatSession> sessions = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        ChatSession chat = client.openChat();
        chat.send("m" + i);
        sessions.add(chat);
      }
      for (int i = 0; i < SESSIONS; i++) {
        assertThat(sessions.get(i).poll(WAIT)).as("session %d's reply", i).isEqualTo("hello:m" + i);
      }
      assertThat(server.activeSessions()).isEqualTo(SESSIONS);
      assertThat(client.hello("meanwhile")).isEqualTo("hello:meanwhile");

      for (ChatSession chat : sessions) {
        chat.complete();
      }
      for (ChatSession chat : sessions) {
        assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
      }
    }
  }
}
