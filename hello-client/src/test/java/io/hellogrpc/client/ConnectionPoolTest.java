package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server limits the calls open at once on one connection; a client holding more sessions than
 * that opens another connection instead of making the next session wait for one to end.
 */
@Timeout(60)
class ConnectionPoolTest {
  private static final int LIMIT = 10;

  private HelloServer server;
  private HelloClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(int clientLimit) throws Exception {
    server =
        HelloServer.builder().host("127.0.0.1").port(0).maxConcurrentCallsPerConnection(LIMIT).start();
    client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .maxConcurrentCallsPerConnection(clientLimit)
            .build();
  }

  @Test
  void sessionsBeyondOneConnectionsLimitAreServedOnAnother() throws Exception {
    start(LIMIT);
    List<ChatSession> sessions = new ArrayList<>();
    for (int i = 0; i < 3 * LIMIT + 5; i++) {
      sessions.add(client.openChat());
    }
    for (int i = 0; i < sessions.size(); i++) {
      sessions.get(i).send("m" + i);
    }
    for (int i = 0; i < sessions.size(); i++) {
      // Without another connection, sessions beyond the limit would wait here for ever.
      assertThat(sessions.get(i).poll(Duration.ofSeconds(10))).isEqualTo("hello:m" + i);
    }
    assertThat(server.activeSessions()).isEqualTo(sessions.size());
    for (ChatSession chat : sessions) {
      chat.complete();
      assertThat(chat.awaitEnd(Duration.ofSeconds(10))).contains(ChatEnd.completed());
    }
  }

  @Test
  void helloIsServedWhileEveryConnectionSoFarIsFullOfSessions() throws Exception {
    start(LIMIT);
    List<ChatSession> sessions = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      ChatSession chat = client.openChat();
      chat.send("hold");
      assertThat(chat.poll(Duration.ofSeconds(10))).isEqualTo("hello:hold");
      sessions.add(chat);
    }
    assertThat(client.helloAsync("still served").get(10, TimeUnit.SECONDS))
        .isEqualTo("hello:still served");
    assertThat(client.hello("and blocking")).isEqualTo("hello:and blocking");
    sessions.forEach(ChatSession::cancel);
  }
}
