package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One rule for an interrupted thread: a method that declares {@link InterruptedException} throws
 * it, and what it was doing did not happen; a method that cannot declare it ({@code hello()},
 * iterating {@code replies()}) throws {@link HelloException} {@code CANCELLED} and sets the
 * thread's interrupt flag again. Either way an open session stays open.
 */
@Timeout(60)
class InterruptsTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void anInterruptedSendThrowsInterruptedExceptionAndItsMessageIsNotSent() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder().receiveBufferSize(1).onChat(session -> release.await()));
    ChatSession chat = pair.client.openChat();
    chat.send("taken"); // the server's one slot; from now on the transport is not ready
    long sent = chat.sentCount();
    Background<Void> sender =
        Background.<Void>start(
                "sender",
                () -> {
                  chat.send("held");
                  return null;
                })
            .untilBlocked();

    sender.thread().interrupt();

    assertThatThrownBy(sender::get).hasCauseInstanceOf(InterruptedException.class);
    assertThat(chat.sentCount()).isEqualTo(sent);
    assertThat(chat.end()).isEmpty();
  }

  @Test
  void anInterruptedReceiveThrowsInterruptedExceptionAndTheNextReplyIsStillThere()
      throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Background<String> receiver = Background.start("receiver", chat::receive).untilBlocked();

    receiver.thread().interrupt();

    assertThatThrownBy(receiver::get).hasCauseInstanceOf(InterruptedException.class);
    chat.send("after");
    assertThat(chat.receive()).isEqualTo("hello:after");
    assertThat(chat.end()).isEmpty();
  }

  @Test
  void anInterruptedHelloThrowsCancelledAndSetsTheFlagAgain() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      release.await();
                      return "hello:" + name;
                    }));
    Background<Boolean> caller =
        Background.start(
                "caller",
                () -> {
                  try {
                    pair.client.hello("waits");
                    return false;
                  } catch (HelloException e) {
                    assertThat(e.code()).isEqualTo(StatusCode.CANCELLED);
                    return Thread.currentThread().isInterrupted();
                  }
                })
            .untilBlocked();

    caller.thread().interrupt();

    assertThat(caller.get()).as("the interrupt flag, set again").isTrue();
  }

  @Test
  void anInterruptedIterationOfRepliesThrowsCancelledSetsTheFlagAndTheSessionStaysOpen()
      throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Background<Boolean> iterating =
        Background.start(
                "iterating",
                () -> {
                  try {
                    for (String reply : chat.replies()) {
                      return false; // none comes
                    }
                    return false;
                  } catch (HelloException e) {
                    assertThat(e.code()).isEqualTo(StatusCode.CANCELLED);
                    assertThat(e.description())
                        .isEqualTo("interrupted while waiting for the next message");
                    return Thread.currentThread().isInterrupted();
                  }
                })
            .untilBlocked();

    iterating.thread().interrupt();

    assertThat(iterating.get()).as("the interrupt flag, set again").isTrue();
    assertThat(chat.end()).isEmpty();
    chat.send("still open");
    assertThat(chat.poll(Duration.ofSeconds(10))).isEqualTo("hello:still open");
  }
}
