package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same library over real Netty on 127.0.0.1. */
@Timeout(60)
class NettyEndToEndTest {
  private HelloServer server;
  private HelloClient client;
  private final CountDownLatch helloGate = new CountDownLatch(1); // holds Hello replies back

  @BeforeEach
  void start() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  helloGate.await(10, TimeUnit.SECONDS);
                  return "hello:" + name;
                })
            .start();
    client = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
  }

  @AfterEach
  void stop() {
    helloGate.countDown();
    client.close();
    server.close();
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void helloAndTenThousandChatMessagesInOrder() throws Exception {
    helloGate.countDown();
    assertThat(client.hello("Hello Service")).isEqualTo("hello:Hello Service");
    try (ChatSession chat = client.openChat()) {
      Background<Void> sender =
          Background.start(
              "sender",
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  chat.send(Integer.toString(i));
                }
                chat.complete();
                return null;
              });
      for (int i = 0; i < 10_000; i++) {
        assertThat(chat.receive()).isEqualTo("hello:" + i);
      }
      assertThat(chat.receive()).isNull();
      sender.get(); // a failed send fails the test with its own exception
      assertThat(chat.end()).contains(ChatEnd.completed());
    }
  }

  @Test
  void callbacksNeverRunOnATransportThread() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> replies = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    ChatSession chat =
        client.openChat(
            new ChatListener() {
              @Override
              public void onMessage(ChatSession session, String message) {
                threads.add(Thread.currentThread().getName());
                replies.add(message);
              }

              @Override
              public void onCompleted(ChatSession session) {
                threads.add(Thread.currentThread().getName());
                done.countDown();
              }

              @Override
              public void onError(ChatSession session, HelloException error) {
                done.countDown();
              }
            });
    for (int i = 0; i < 1_000; i++) {
      chat.send("m" + i);
    }
    chat.complete();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies).hasSize(1_000);
    assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("hello-client-callback-"));
    // Registered before the reply exists, so it runs where the future is completed.
    var completedOn = client.helloAsync("x").thenApply(r -> Thread.currentThread().getName());
    helloGate.countDown();
    assertThat(completedOn.get(5, TimeUnit.SECONDS)).startsWith("hello-client-callback-");
  }

  @Test
  void aClientOfAStoppedServerFailsWithUnavailable() throws Exception {
    server.close();
    ChatSession chat = client.openChat();
    assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
        .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(io.hellogrpc.api.StatusCode.UNAVAILABLE));
  }
}
