package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retries, waitForReady, the idle timeout and tokens in-process. */
@Timeout(30)
class ClientOptionsTest {
  private final AtomicInteger attempts = new AtomicInteger();
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
  }

  /** A server whose first {@code failures} Hello attempts fail with {@code code}. */
  private HelloServer.Builder failingFirst(int failures, StatusCode code) {
    return HelloServer.builder()
        .onHello(
            name -> {
              if (attempts.incrementAndGet() <= failures) {
                throw new HelloException(code, "attempt " + attempts.get() + " failed");
              }
              return "hello:" + name + " after " + attempts.get() + " attempts";
            });
  }

  @Test
  void helloIsRetriedOnUnavailableUpToItsAttempts() throws Exception {
    pair = InProcessPair.start(failingFirst(2, StatusCode.UNAVAILABLE), c -> c.helloMaxAttempts(3));
    assertThat(pair.client.hello("x")).isEqualTo("hello:x after 3 attempts");
    assertThat(pair.client.helloAsync("y").get(10, TimeUnit.SECONDS))
        .isEqualTo("hello:y after 4 attempts");
  }

  @Test
  void helloIsNotRetriedByDefaultNorOnOtherCodesNorPastItsAttempts() throws Exception {
    pair = InProcessPair.start(failingFirst(1, StatusCode.UNAVAILABLE));
    assertThatThrownBy(() -> pair.client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.description()).isEqualTo("attempt 1 failed"));
    pair.close();

    attempts.set(0);
    pair = InProcessPair.start(failingFirst(1, StatusCode.INTERNAL), c -> c.helloMaxAttempts(5));
    assertThatThrownBy(() -> pair.client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INTERNAL));
    pair.close();

    attempts.set(0);
    pair = InProcessPair.start(failingFirst(5, StatusCode.UNAVAILABLE), c -> c.helloMaxAttempts(2));
    assertThatThrownBy(() -> pair.client.hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.description()).isEqualTo("attempt 2 failed"));
  }

  @Test
  void chatSessionsAreNeverRetried() throws Exception {
    AtomicInteger sessions = new AtomicInteger();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      sessions.incrementAndGet();
                      session.fail(StatusCode.UNAVAILABLE, "try elsewhere");
                    }),
            c -> c.helloMaxAttempts(5));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
        .contains(new ChatEnd(StatusCode.UNAVAILABLE, "try elsewhere"));
    assertThat(sessions).hasValue(1);
  }

  @Test
  void deadlinesAndTimeoutsTooLongToCountInNanosecondsMeanNoLimit() throws Exception {
    Duration forever = ChronoUnit.FOREVER.getDuration();
    pair =
        InProcessPair.start(
            HelloServer.builder(),
            c -> c.helloDeadline(forever).chatDeadline(forever).chatIdleTimeout(forever));
    assertThat(pair.client.hello("x")).isEqualTo("hello:x");
    assertThat(pair.client.helloAsync("y").get(10, TimeUnit.SECONDS)).isEqualTo("hello:y");
    try (ChatSession chat = pair.client.openChat()) {
      chat.send("z");
      assertThat(chat.receive()).isEqualTo("hello:z");
    }
  }

  @Test
  void waitForReadyWaitsForAServerThatIsNotThereYet() throws Exception {
    String name = "later-" + UUID.randomUUID();
    try (HelloClient failFast = HelloClient.builder().inProcess(name).build();
        HelloClient patient = HelloClient.builder().inProcess(name).waitForReady(true).build()) {
      assertThatThrownBy(() -> failFast.hello("now"))
          .isInstanceOfSatisfying(
              HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
      CompletableFuture<String> waiting = patient.helloAsync("later");

      HelloServer server = HelloServer.builder().inProcess(name).start();
      try {
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("hello:later");
      } finally {
        server.shutdownNow();
      }
    }
  }

  @Test
  void anIdleSessionEndsWithDeadlineExceededSayingWhy() throws Exception {
    pair =
        InProcessPair.start(HelloServer.builder(), c -> c.chatIdleTimeout(Duration.ofSeconds(1)));
    ChatSession chat = pair.client.openChat();
    chat.send("one");
    assertThat(chat.receive()).isEqualTo("hello:one");

    assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
        .contains(
            new ChatEnd(
                StatusCode.DEADLINE_EXCEEDED,
                "the session was idle for PT1S: no message in either direction"
                    + " (chatIdleTimeout)"));
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    Waiting.until("the server sees the session end", () -> pair.server.activeSessions() == 0);
  }

  @Test
  void aTokenNeedsNoTlsInProcess() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .requireToken("in-jvm")
                .onHello(name -> "hello:" + name + " from " + Caller.principal().orElse("?")),
            c -> c.token("in-jvm"));
    assertThat(pair.client.hello("x")).isEqualTo("hello:x from token");
  }
}
