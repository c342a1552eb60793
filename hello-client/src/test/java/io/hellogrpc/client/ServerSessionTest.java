package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's side of a session, as a ChatHandler sees it. */
@Timeout(30)
class ServerSessionTest {
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void aHandlerReadsUntilTheClientCompletesAndAnswersInItsOwnRhythm() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      List<String> all = new ArrayList<>();
                      for (String message : session.messages()) {
                        all.add(message);
                      }
                      session.send("got " + all.size() + ": " + String.join(",", all));
                      session.complete();
                    }));
    ChatSession chat = pair.client.openChat();
    chat.send("a");
    chat.send("b");
    chat.send("c");
    chat.complete();
    assertThat(chat.receive()).isEqualTo("got 3: a,b,c");
    assertThat(chat.receive()).isNull();
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  @Test
  void aHandlerThatReturnsCompletesTheSession() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> session.send("only")));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isEqualTo("only");
    assertThat(chat.receive()).isNull();
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  @Test
  void failEndsTheSessionWithTheStatusTheClientSees() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      session.send("first");
                      session.fail(StatusCode.RESOURCE_EXHAUSTED, "quota used up");
                      assertThatThrownBy(() -> session.send("after fail"))
                          .isInstanceOf(HelloException.class);
                    }));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isEqualTo("first");
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
              assertThat(e.description()).isEqualTo("quota used up");
            });
  }

  @Test
  void failRefusesOk() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      try {
                        session.fail(StatusCode.OK, "fine");
                      } catch (IllegalArgumentException e) {
                        thrown.set(e);
                      }
                    }));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isNull();
    assertThat(thrown.get()).hasMessageContaining("use complete()");
  }

  @Test
  void aClientThatCancelsWakesTheHandlerAndFreesTheSession() throws Exception {
    CountDownLatch handlerEnded = new CountDownLatch(1);
    AtomicReference<Throwable> handlerSaw = new AtomicReference<>();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      try {
                        session.send("ready");
                        session.receive();
                      } catch (HelloException e) {
                        handlerSaw.set(e);
                      } finally {
                        handlerEnded.countDown();
                      }
                    }));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isEqualTo("ready");
    Waiting.until("the session is open on the server", () -> pair.server.activeSessions() == 1);
    chat.cancel();
    assertThat(handlerEnded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(handlerSaw.get())
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
    Waiting.until("the server frees the session", () -> pair.server.activeSessions() == 0);
  }

  @Test
  void aHandlerSeesItsOwnEnd() throws Exception {
    AtomicReference<ChatEnd> seen = new AtomicReference<>();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      session.complete();
                      seen.set(session.awaitEnd(Duration.ofSeconds(5)).orElse(null));
                    }));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isNull();
    Waiting.until("the handler saw its end", () -> seen.get() != null);
    assertThat(seen.get()).isEqualTo(ChatEnd.completed());
  }
}
