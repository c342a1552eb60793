package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server drains (close()) while a client is mid-session: a session that finishes within the
 * grace period gets every reply; one that outlives it ends UNAVAILABLE, and the client can tell
 * exactly which of its messages were answered.
 */
@Timeout(60)
@ExtendWith(NoNettyLeaks.class)
class GracefulShutdownTest {
  /** Generous, so the short session finishes inside it even on a loaded machine. */
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration PER_MESSAGE = Duration.ofMillis(5);
  private static final int SHORT_SESSION = 100; // 0.5 s of handler time: well within the grace
  private static final int LONG_SESSION = 2_000; // 10 s of handler time: outlives it

  @Test
  void theClientLearnsWhichMessagesWereAnsweredAndNoneIsLostSilently() throws Exception {
    HelloServer server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownGracePeriod(GRACE)
            .onChannel(
                message -> {
                  Thread.sleep(PER_MESSAGE.toMillis()); // the delay is the point: a slow handler
                  return "hello:" + message;
                })
            .start();
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + server.port()).build()) {
      ChatSession finishing = client.openChat();
      ChatSession outliving = client.openChat();
      AtomicLong accepted = new AtomicLong(); // sends of the long session that returned normally
      Background<Void> sending =
          Background.start(
              "sender",
              () -> {
                for (int i = 0; i < LONG_SESSION; i++) {
                  outliving.send(Integer.toString(i));
                  accepted.incrementAndGet();
                }
                outliving.complete();
                return null;
              });
      Waiting.until("the long session is answering", () -> outliving.receivedCount() > 10);
      for (int i = 0; i < SHORT_SESSION; i++) {
        finishing.send(Integer.toString(i));
      }
      finishing.complete();

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

      // Within the grace period the short session gets every reply and ends normally.
      for (int i = 0; i < SHORT_SESSION; i++) {
        assertThat(finishing.receive()).isEqualTo("hello:" + i);
      }
      assertThat(finishing.receive()).isNull();
      assertThat(finishing.end()).contains(ChatEnd.completed());

      // The long one: every reply that came is in order, then the end says why the rest did not.
      List<String> replies = new ArrayList<>();
      HelloException ended = null;
      try {
        for (String reply = outliving.receive(); reply != null; reply = outliving.receive()) {
          replies.add(reply);
        }
      } catch (HelloException e) {
        ended = e;
      }
      assertThat(ended).as("the long session ends with an error, not normally").isNotNull();
      assertThat(ended.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(ended.description()).isEqualTo("server is shutting down");
      for (int i = 0; i < replies.size(); i++) {
        assertThat(replies.get(i)).isEqualTo("hello:" + i);
      }
      Throwable sendFailed = null;
      try {
        sending.get(); // the sender has ended before its counts are read
      } catch (ExecutionException e) {
        sendFailed = e.getCause();
      }
      long answered = outliving.receivedCount();
      long sent = outliving.sentCount();
      assertThat(answered).isEqualTo(replies.size()).isPositive();
      assertThat(sent).as("every send that returned is counted").isEqualTo(accepted.get());
      assertThat(answered).as("some messages were never answered").isLessThan(sent);
      if (accepted.get() < LONG_SESSION) { // the send that failed says why, like the session
        assertThat(sendFailed)
            .isInstanceOfSatisfying(
                HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
      }
      System.out.printf(
          "graceful shutdown: %d messages sent, 0..%d answered, %d..%d reported unanswered: %s%n",
          sent, answered - 1, answered, sent - 1, outliving.end().orElseThrow());

      closing.get(20, TimeUnit.SECONDS);
      assertThat(server.isTerminated()).isTrue();
      assertThat(server.activeSessions()).isZero();
    } finally {
      server.shutdownNow();
    }
  }
}
