package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promises of the session core that only mutation testing showed no test held (the mutation
 * profile, README "Mutation testing"): each test here kills mutants that survived it.
 *
 * <p>The survivors left are not killed by a deterministic test, for these reasons:
 *
 * <ul>
 *   <li>Races a sequential test cannot order: SessionCore.send re-ending the gate when a sender
 *       already sees the end, OutboundGate.awaitTaken's and drain's loop conditions and wake-ups
 *       (signalAll) for several senders, InboundQueue.poll's boundary on an exhausted wait. A
 *       mutant there changes which thread wakes or when, not what any one run observes;
 *       InProcessStressTest (reliability) and the Lincheck model check of the gate pin them.
 *   <li>Equivalent: InboundQueue.discard after a cancel or a close (ReplyingSession.onCancel and
 *       close, RealServerSession.onCancel): the session has ended, nothing reads the queue again,
 *       and what discard frees is memory no test can observe; InboundQueue.size without its unlock
 *       (every caller is on one thread and the lock is reentrant); RealChatSession.start's check
 *       that stops the start watch (the watch only logs after 10 s, and the end stops it anyway).
 *   <li>Needing a 10 s wait: RealChatSession.close's cancel after its grace period and
 *       RealChatSession.seconds' whole-second branch, which CloseGraceTest covers with a
 *       fraction of a second.
 * </ul>
 */
@Timeout(30)
class SessionContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void aListenersSessionCannotBePolledOrIterated() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    try (ChatSession chat = pair.client.openChat((session, reply) -> {})) {
      assertThatThrownBy(() -> chat.poll(Duration.ofMillis(10)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("poll()");
      assertThatThrownBy(chat::replies)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("replies()");
    }
  }

  @Test
  void aPerMessageSessionCountsWhileOpenAndNotOnceEnded() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    chat.send("a");
    assertThat(chat.receive()).isEqualTo("hello:a");
    assertThat(pair.server.activeSessions()).isEqualTo(1);

    chat.complete();
    assertThat(chat.receive()).isNull();
    Waiting.until("the server frees the session", () -> pair.server.activeSessions() == 0);
  }

  @Test
  void aChatSessionThatCompletesIsNoLongerCounted() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> session.send("bye")));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isEqualTo("bye");
    assertThat(chat.receive()).isNull();
    Waiting.until("the server frees the session", () -> pair.server.activeSessions() == 0);
  }

  @Test
  void aChatHandlerSeesItsSessionsPrincipalAndPolls() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .requireToken(token -> "user-" + token)
                .onChat(
                    session ->
                        session.send(
                            session.principal().orElse("nobody")
                                + " sent "
                                + session.poll(WAIT))),
            client -> client.token("ann"));
    ChatSession chat = pair.client.openChat();
    chat.send("a");
    assertThat(chat.receive()).isEqualTo("user-ann sent a");
    assertThat(chat.receive()).isNull();
  }

  @Test
  void aChatHandlerThatThrowsEndsTheSessionUnknownAndIsLoggedOnce() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      throw new IllegalStateException("handler bug");
                    }));
    try (LogCapture logs = LogCapture.start()) {
      ChatSession chat = pair.client.openChat();
      assertThat(chat.awaitEnd(WAIT))
          .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.UNKNOWN));
      Waiting.until("the failure is logged", () -> !logs.atOrAbove(Level.WARNING).isEmpty());
      assertThat(logs.atOrAbove(Level.WARNING))
          .singleElement()
          .asString()
          .contains("Channel handler threw")
          .contains("handler bug");
    }
  }

  @Test
  void aChannelHandlerThatThrowsIsLoggedOnce() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChannel(
                    message -> {
                      throw new IllegalStateException("reply bug");
                    }));
    try (LogCapture logs = LogCapture.start()) {
      ChatSession chat = pair.client.openChat();
      chat.send("a");
      assertThat(chat.awaitEnd(WAIT))
          .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.UNKNOWN));
      Waiting.until("the failure is logged", () -> !logs.atOrAbove(Level.WARNING).isEmpty());
      assertThat(logs.atOrAbove(Level.WARNING))
          .singleElement()
          .asString()
          .contains("Channel handler threw")
          .contains("reply bug");
    }
  }

  @Test
  void closingTheServerTellsAnIdleSessionWhy() throws Exception {
    pair =
        InProcessPair.start(HelloServer.builder().shutdownGracePeriod(Duration.ZERO));
    ChatSession chat = pair.client.openChat();
    chat.send("a");
    assertThat(chat.receive()).isEqualTo("hello:a");

    pair.server.close();

    assertThat(chat.awaitEnd(WAIT))
        .contains(new ChatEnd(StatusCode.UNAVAILABLE, "server is shutting down"));
  }

  @Test
  void aChatHandlerSeesTheClientsDeadlinePassAsSuch() throws Exception {
    CompletableFuture<Optional<ChatEnd>> seen = new CompletableFuture<>();
    pair =
        InProcessPair.start(
            HelloServer.builder().onChat(session -> seen.complete(session.awaitEnd(WAIT))),
            client -> client.chatDeadline(Duration.ofMillis(500)));
    ChatSession chat = pair.client.openChat();

    assertThat(chat.awaitEnd(WAIT))
        .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    assertThat(seen.get(10, TimeUnit.SECONDS))
        .contains(new ChatEnd(StatusCode.DEADLINE_EXCEEDED, "the client's deadline passed"));
  }

  @Test
  void aChatHandlerSeesTheClientCancel() throws Exception {
    CompletableFuture<Optional<ChatEnd>> seen = new CompletableFuture<>();
    pair =
        InProcessPair.start(
            HelloServer.builder().onChat(session -> seen.complete(session.awaitEnd(WAIT))));
    ChatSession chat = pair.client.openChat();
    chat.send("a"); // the session is open on the server before it is cancelled
    Waiting.until("the server opens the session", () -> pair.server.activeSessions() == 1);

    chat.cancel();

    assertThat(seen.get(10, TimeUnit.SECONDS))
        .contains(
            new ChatEnd(StatusCode.CANCELLED, "the client cancelled the session or went away"));
    Waiting.until("the server frees the session", () -> pair.server.activeSessions() == 0);
  }
}
