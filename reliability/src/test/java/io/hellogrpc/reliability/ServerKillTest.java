package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.OutboundGate;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server's JVM killed (SIGKILL) under a client in the middle of a session. */
@Timeout(120)
@ExtendWith(NoNettyLeaks.class)
class ServerKillTest {
  /** How long a session may take to learn its server died: the kernel resets the connection. */
  private static final Duration NOTICE = Duration.ofSeconds(10);

  private static ChildJvm startServer(int port) throws Exception {
    ChildJvm server =
        ChildJvm.start(
            "server", List.of(), ServerMain.class,
            "--port", Integer.toString(port), "--stall-on", "stall");
    assertThat(server.awaitReady()).isEqualTo("listening " + port);
    return server;
  }

  private static void assertUnavailable(Background<?> blocked) {
    assertThat(blocked.failure().code()).isEqualTo(StatusCode.UNAVAILABLE); // within 10 s, NOTICE
  }

  @Test
  void theSessionEndsUnavailableBlockedCallsWakeAndTheSameClientServesOnceAServerIsBack()
      throws Exception {
    int port = FreePort.pick();
    ChildJvm first = startServer(port);
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build()) {
      ChatSession chat = client.openChat();
      chat.send("answered");
      assertThat(chat.receive()).isEqualTo("hello:answered");

      // One thread waits for a reply that will never come...
      Background<String> receiving = Background.start("receiver", chat::receive);
      // ...another sends until flow control holds it: the server's handler stalls on "stall".
      AtomicLong accepted = new AtomicLong(1);
      String filler = "f".repeat(16 * 1024);
      Background<Void> sending =
          Background.start(
              "sender",
              () -> {
                chat.send("stall");
                accepted.incrementAndGet();
                while (true) {
                  chat.send(filler);
                  accepted.incrementAndGet();
                }
              });
      receiving.untilBlocked();
      waitUntilSendIsHeldBack(sending.thread());

      first.kill();

      assertThat(chat.awaitEnd(NOTICE))
          .hasValueSatisfying(
              end -> {
                assertThat(end.code()).isEqualTo(StatusCode.UNAVAILABLE);
                assertThat(end.description()).isNotBlank();
              });
      assertUnavailable(receiving);
      assertUnavailable(sending);
      // What the application can tell: the first message was answered, every later one was not.
      assertThat(chat.receivedCount()).isEqualTo(1);
      assertThat(chat.sentCount()).isEqualTo(accepted.get()).isGreaterThan(2);
      System.out.printf(
          "server killed: session ended %s; %d of %d sent messages answered%n",
          chat.end().map(ChatEnd::toString).orElseThrow(), chat.receivedCount(), chat.sentCount());

      // While no server listens, calls fail at once rather than hang.
      assertThatThrownBy(() -> client.hello("anyone?"))
          .isInstanceOfSatisfying(
              HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));

      try (ChildJvm second = startServer(port)) {
        assertThat(helloOnceReconnected(client)).isEqualTo("hello:back");
        try (ChatSession again = client.openChat()) {
          again.send("new session");
          assertThat(again.receive()).isEqualTo("hello:new session");
          again.complete();
          assertThat(again.receive()).isNull();
        }
        // The server counts a session until its own end of the call closes, a moment after the
        // client has read the end: wait for it rather than race it.
        Waiting.until("the server frees the session", () -> sessions(second) == 0);
      }
    } finally {
      first.close();
    }
  }

  private static long sessions(ChildJvm server) {
    try {
      return server.askLong("sessions");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until the sender is parked in the session's send, waiting for the transport to be ready:
   * held back by flow control, not merely between two sends.
   */
  private static void waitUntilSendIsHeldBack(Thread sending) {
    Waiting.until(
        "send is held back by flow control",
        () -> {
          List<StackTraceElement> stack = List.of(sending.getStackTrace());
          return sending.getState() == Thread.State.WAITING
              && stack.stream().anyMatch(frame -> frame.getMethodName().equals("await"))
              && stack.stream()
                  .anyMatch(
                      frame ->
                          frame.getClassName().equals(OutboundGate.class.getName())
                              && frame.getMethodName().equals("send"));
        });
  }

  /**
   * The client reconnects by itself, after grpc's reconnect backoff (about a second after the
   * failed call above); until then calls fail fast with UNAVAILABLE.
   */
  private static String helloOnceReconnected(HelloClient client) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return client.hello("back");
      } catch (HelloException e) {
        if (e.code() != StatusCode.UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
        // A poll, as the client exposes no connection event: the pause paces the attempts over
        // grpc's reconnect backoff, under this loop's own 30 s deadline (Waiting.until's 10 s is
        // too short for the backoff).
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    }
  }
}
