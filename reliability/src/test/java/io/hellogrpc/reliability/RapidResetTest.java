package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 rapid reset (CVE-2023-44487) against a server with its default settings: a client that
 * opens calls and resets them before the server can answer loses its connection, while a client
 * that cancels sessions which exchanged messages, as fast as it can, keeps it.
 */
@Timeout(300)
@ExtendWith(NoNettyLeaks.class)
class RapidResetTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private HelloServer server;
  private HelloClient bystander;
  private ChatSession bystanderSession;

  @BeforeEach
  void start() throws Exception {
    server = HelloServer.builder().host("127.0.0.1").port(0).start();
    bystander = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
    bystanderSession = bystander.openChat();
    assertStillServed("before");
  }

  @AfterEach
  void stop() {
    bystander.close();
    server.close();
  }

  /** A session on another connection, open since before, still answers. */
  private void assertStillServed(String when) throws InterruptedException {
    bystanderSession.send(when);
    assertThat(bystanderSession.poll(Duration.ofSeconds(10))).isEqualTo("hello:" + when);
  }

  @Test
  void aClientResettingCallsBeforeTheServerAnswersLosesItsConnection() throws Exception {
    boolean cut = false;
    try (RapidResetAttacker attacker = new RapidResetAttacker(server.port())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!cut && System.nanoTime() < deadline && attacker.streams() < 1_000_000) {
        try {
          attacker.openAndReset(100);
        } catch (IOException connectionCut) {
          cut = true;
        }
      }
      System.out.printf(
          "the attacker wrote %d HEADERS+RST_STREAM pairs before its connection was cut%n",
          attacker.streams());
    }
    assertThat(cut).as("the attacker's connection was cut").isTrue();
    assertStillServed("after the attack");
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .contains("closed the connection from /127.0.0.1:")
        .contains("it reset more than 2000 calls the server had not answered within PT10S");
  }

  @Test
  void aClientCancellingSessionsThatExchangedMessagesKeepsItsConnectionAtAnyRate()
      throws Exception {
    int sessions = 10_000;
    int threads = 8;
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
        ChatSession longLived = client.openChat()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          workers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < sessions / threads; i++) {
                      ChatSession chat = client.openChat();
                      chat.send("x");
                      assertThat(chat.receive()).isEqualTo("hello:x");
                      chat.cancel();
                    }
                    return null;
                  }));
        }
        for (Future<?> worker : workers) {
          worker.get(200, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      longLived.send("still here");
      assertThat(longLived.poll(Duration.ofSeconds(10))).isEqualTo("hello:still here");
      assertThat(longLived.end()).isEmpty();
    }
    assertStillServed("after the cancels");
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }
}
