package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client JVM killed (SIGKILL) in the middle of its sessions. */
@Timeout(60)
@ExtendWith(NoNettyLeaks.class)
class ClientKillTest {
  private static final int SESSIONS = 4;

  /**
   * grpc's own note, at WARNING, of replies it had queued in Netty for a connection that died
   * before they could be written (NettyServerHandler.onStreamError). The library writes nothing
   * once it knows a call is cancelled; these were queued before anyone knew.
   */
  private static final String GRPC_QUEUED_WRITES_FAILED =
      "Stream closed before write could take place";

  @Test
  void theServerCancelsAndFreesTheSessionsOfAKilledClientAndServesOthers() throws Exception {
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        LogCapture logs = LogCapture.start()) {
      ChildJvm client =
          ChildJvm.start(
              "client", List.of(), ClientMain.class,
              "--target", "127.0.0.1:" + server.port(), "--sessions", Integer.toString(SESSIONS));
      try {
        assertThat(client.awaitReady()).isEqualTo("flowing");
        assertThat(server.activeSessions()).isEqualTo(SESSIONS);

        client.kill(); // mid-flood: messages and replies are in flight on every session

        Waiting.until("the killed client's sessions are freed", () -> server.activeSessions() == 0);
      } finally {
        client.close();
      }
      try (HelloClient other = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
          ChatSession chat = other.openChat()) {
        assertThat(other.hello("still there")).isEqualTo("hello:still there");
        chat.send("and chatting");
        assertThat(chat.receive()).isEqualTo("hello:and chatting");
      }
      assertThat(logs.atOrAbove(Level.WARNING))
          .as("a client that goes away is no alarm, apart from grpc's note of its queued writes")
          .allMatch(line -> line.contains(GRPC_QUEUED_WRITES_FAILED));
    }
  }
}
