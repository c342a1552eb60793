package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several servers behind one client, over Netty on 127.0.0.1: round-robin spreads sessions. */
@Timeout(30)
class LoadBalancingTest {
  private final List<HelloServer> servers = new ArrayList<>();
  private final List<ChatSession> sessions = new ArrayList<>();
  private HelloClient client;

  @AfterEach
  void stop() {
    sessions.forEach(ChatSession::cancel);
    if (client != null) {
      client.close();
    }
    servers.forEach(HelloServer::close);
  }

  private List<String> startThreeServers() throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "server-" + i;
      HelloServer server =
          HelloServer.builder()
              .host("127.0.0.1")
              .port(0)
              .onHello(name -> id)
              .onChannel(message -> id + ":" + message)
              .start();
      servers.add(server);
      addresses.add("127.0.0.1:" + server.port());
    }
    return addresses;
  }

  /** Until every server has answered, round-robin has not seen them all connected. */
  private void warmUp() {
    Set<String> answered = new HashSet<>();
    Waiting.until(
        "every server has answered",
        () -> {
          answered.add(client.hello("who"));
          return answered.size() == 3;
        });
  }

  @Test
  void newSessionsSpreadEvenlyOverThreeServers() throws Exception {
    List<String> addresses = startThreeServers();
    client = HelloClient.builder().addresses(addresses.toArray(String[]::new)).build();
    warmUp();

    for (int i = 0; i < 6; i++) {
      ChatSession chat = client.openChat();
      sessions.add(chat);
      chat.send("m" + i);
      chat.receive();
    }

    assertThat(servers).allSatisfy(server -> assertThat(server.activeSessions()).isEqualTo(2));
  }
}
