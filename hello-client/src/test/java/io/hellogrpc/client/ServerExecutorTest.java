package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code HelloServer.Builder.executor(...)}: handlers run there, and a refusal ends the call. */
@Timeout(30)
class ServerExecutorTest {
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService hostPool =
      Executors.newFixedThreadPool(
          2, task -> new Thread(task, "host-pool-" + threads.incrementAndGet()));
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    hostPool.shutdownNow();
    assertThat(hostPool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Threads of the server's own handler pool, platform or virtual. */
  private static long handlerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("hello-server-"))
        .filter(thread -> !thread.getName().startsWith("hello-server-accept"))
        .filter(thread -> !thread.getName().startsWith("hello-server-transport"))
        .count();
  }

  @Test
  void theDefaultHandlersAnswerWhereTheRequestArrivesWithoutAHandlerThread() throws Exception {
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client = HelloClient.builder().target("127.0.0.1:" + server.port()).build()) {
      for (int i = 0; i < 100; i++) {
        assertThat(client.hello("a" + i)).isEqualTo("hello:a" + i);
      }
      try (ChatSession chat = client.openChat()) {
        for (int i = 0; i < 1_000; i++) {
          chat.send("b" + i);
        }
        for (int i = 0; i < 1_000; i++) {
          assertThat(chat.receive()).isEqualTo("hello:b" + i);
        }
      }
      assertThat(handlerThreads()).as("threads of the server's handler pool").isZero();
    }
  }

  @Test
  void aHandlerOfTheApplicationsOwnRunsOnTheServersPoolNotOnATransportThread() throws Exception {
    List<String> ranOn = new CopyOnWriteArrayList<>();
    pair = InProcessPair.start(HelloServer.builder().onHello(name -> ranOn(ranOn, "hello:" + name)));
    assertThat(pair.client.hello("a")).isEqualTo("hello:a");
    assertThat(ranOn).singleElement().asString().startsWith("hello-server-");
  }

  @Test
  void handlersRunOnTheGivenExecutorWhichOutlivesTheServer() throws Exception {
    List<String> ranOn = new CopyOnWriteArrayList<>();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .executor(hostPool)
                .onHello(name -> ranOn(ranOn, "hello:" + name))
                .onChannel(message -> ranOn(ranOn, "hello:" + message)));

    assertThat(pair.client.hello("a")).isEqualTo("hello:a");
    try (ChatSession chat = pair.client.openChat()) {
      chat.send("b");
      assertThat(chat.receive()).isEqualTo("hello:b");
    }
    pair.close();
    pair = null;

    assertThat(ranOn).hasSize(2).allMatch(name -> name.startsWith("host-pool-"));
    assertThat(hostPool.isShutdown()).as("the server shuts down only a pool of its own").isFalse();
  }

  private static String ranOn(List<String> names, String reply) {
    names.add(Thread.currentThread().getName());
    return reply;
  }

  @Test
  void aRefusingExecutorFailsEachCallUnavailableSayingSo() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .executor(
                    task -> {
                      throw new RejectedExecutionException("full");
                    }));

    assertThatThrownBy(() -> pair.client.hello("a"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description())
                  .isEqualTo(
                      "the server's executor refused to run the Hello handler (shut down or full)");
            });
    // The session's first piece of work finds the executor refusing: it ends, it does not hang.
    ChatSession chat = pair.client.openChat();
    assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
        .contains(
            new ChatEnd(
                StatusCode.UNAVAILABLE,
                "the server's executor refused to run the Channel handler (shut down or full)"));
    assertThatThrownBy(chat::receive).isInstanceOf(HelloException.class);
  }

  @Test
  void aRefusingExecutorFailsAChatHandlerSessionToo() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(session -> session.send("never runs"))
                .executor(
                    task -> {
                      throw new RejectedExecutionException("shut down");
                    }));

    ChatSession chat = pair.client.openChat();
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description()).contains("refused to run the Channel handler");
            });
  }
}
