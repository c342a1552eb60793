package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.LogCapture;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a session ends when the application ends it (complete, close, cancel, a listener that
 * throws) while the server is still going or has already finished.
 */
@Timeout(60)
class SessionLifecycleTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final CountDownLatch releaseServer = new CountDownLatch(1);
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    releaseServer.countDown();
    if (pair != null) {
      pair.close();
    }
  }

  /** A server that answers {@code replies} replies at once, then completes the session. */
  private void startServerThatSends(int replies) throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      for (int i = 0; i < replies; i++) {
                        session.send("r" + i);
                      }
                    }),
            client -> client.receiveBufferSize(16));
  }

  /** Records a listener's callbacks; the first onMessage waits until {@code release}. */
  private static final class Recorder implements ChatListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch firstMessage = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    volatile RuntimeException throwOnFirst;
    volatile HelloException error;

    @Override
    public void onMessage(ChatSession session, String message) {
      events.add(message);
      if (firstMessage.getCount() > 0) {
        firstMessage.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (throwOnFirst != null) {
          throw throwOnFirst;
        }
      }
    }

    @Override
    public void onCompleted(ChatSession session) {
      events.add("completed");
      ended.countDown();
    }

    @Override
    public void onError(ChatSession session, HelloException e) {
      error = e;
      events.add("error " + e.code());
      ended.countDown();
    }

    void awaitFirstMessage() throws InterruptedException {
      assertThat(firstMessage.await(10, TimeUnit.SECONDS)).as("the first onMessage").isTrue();
    }

    void awaitEnd() throws InterruptedException {
      assertThat(ended.await(10, TimeUnit.SECONDS)).as("the end callback").isTrue();
    }
  }

  private static void awaitEnd(ChatSession chat) throws InterruptedException {
    assertThat(chat.awaitEnd(Duration.ofSeconds(10))).as("the session's end").isPresent();
  }

  @Test
  void cancelAfterTheServerCompletedDropsTheBufferedRepliesAndKeepsTheNormalEnd()
      throws Exception {
    startServerThatSends(10);
    ChatSession chat = pulledSessionWithEverythingBuffered();

    chat.cancel();

    assertThat(chat.receive()).as("the buffered replies are dropped").isNull();
    assertThat(chat.end()).contains(ChatEnd.completed());
    assertThat(chat.receivedCount()).isEqualTo(10);
  }

  /** A session whose server sent everything and completed, with all replies still unread. */
  private ChatSession pulledSessionWithEverythingBuffered() throws InterruptedException {
    ChatSession chat = pair.client.openChat();
    awaitEnd(chat); // grpc delivers the end once every reply is in the buffer
    assertThat(chat.end()).contains(ChatEnd.completed());
    return chat;
  }

  @Test
  void cancelAfterTheServerCompletedStopsAListenerAndItHearsTheEndOnce() throws Exception {
    startServerThatSends(10);
    Recorder listener = new Recorder();
    ChatSession chat = pair.client.openChat(listener);
    listener.awaitFirstMessage();
    awaitEnd(chat);

    chat.cancel();
    listener.release.countDown();

    listener.awaitEnd();
    assertThat(listener.events).containsExactly("r0", "completed");
  }

  @Test
  void aListenerThatThrowsAfterTheServerCompletedGetsNoMoreRepliesThenTheEndOnce()
      throws Exception {
    startServerThatSends(10);
    Recorder listener = new Recorder();
    listener.throwOnFirst = new IllegalStateException("listener bug");
    ChatSession chat = pair.client.openChat(listener);
    listener.awaitFirstMessage();
    awaitEnd(chat);

    listener.release.countDown();

    listener.awaitEnd();
    assertThat(listener.events).containsExactly("r0", "completed");
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  @Test
  void aListenerThatThrowsWhileTheSessionIsOpenHearsItsOwnExceptionAsTheCause() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    Recorder listener = new Recorder();
    IllegalStateException bug = new IllegalStateException("listener bug");
    listener.throwOnFirst = bug;
    listener.release.countDown();
    ChatSession chat = pair.client.openChat(listener);
    chat.send("x");

    listener.awaitEnd();

    assertThat(listener.events).containsExactly("hello:x", "error CANCELLED");
    assertThat(listener.error.getCause()).isSameAs(bug);
    assertThat(listener.error.description())
        .isEqualTo("ChatListener.onMessage threw java.lang.IllegalStateException: listener bug");
    assertThat(chat.end())
        .contains(new ChatEnd(StatusCode.CANCELLED, listener.error.description()));
  }

  @Test
  void aReceiveAlreadyBlockedWhenCloseIsCalledFailsAtOnce() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> releaseServer.await()));
    ChatSession chat = pair.client.openChat();
    Background<String> receiver = Background.start("receiver", chat::receive).untilBlocked();

    chat.close();

    assertThatThrownBy(receiver::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("close() was called: this session's replies are discarded");
  }

  @Test
  void aSendAfterCloseSaysCloseWasCalled() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> releaseServer.await()));
    ChatSession chat = pair.client.openChat();
    chat.close();
    assertThatThrownBy(() -> chat.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("close() was called: this session sends no more messages");
  }

  @Test
  void afterCloseAServerSendingMoreThanTheBufferStillFinishesPromptly() throws Exception {
    // 1,000 replies into a buffer of 16: only discarding them keeps the server flowing.
    startServerThatSends(1_000);
    ChatSession chat = pair.client.openChat();
    chat.close();
    assertThat(chat.awaitEnd(Duration.ofSeconds(5))).contains(ChatEnd.completed());
    assertThat(chat.receivedCount()).isEqualTo(1_000);
  }

  @Test
  void aSenderBlockedInSendWakesWhenAnotherThreadCompletes() throws Exception {
    CountDownLatch neverReads = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder().receiveBufferSize(1).onChat(session -> neverReads.await()));
    ChatSession chat = pair.client.openChat();
    AtomicInteger sent = new AtomicInteger();
    Background<Void> sender =
        Background.<Void>start(
            "sender",
            () -> {
              while (true) {
                chat.send("m" + sent.get());
                sent.incrementAndGet();
              }
            })
            .untilBlocked();

    chat.complete();

    assertThatThrownBy(sender::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("complete() was called: this session sends no more messages");
    assertThat(chat.sentCount()).isEqualTo(sent.get());
    neverReads.countDown();
  }

  @Test
  void pollWithAZeroOrNegativeTimeoutReturnsAtOnce() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> releaseServer.await()));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.poll(Duration.ZERO)).isNull();
    assertThat(chat.poll(Duration.ofSeconds(-5))).isNull();
    assertThat(chat.end()).isEmpty();
  }

  @Test
  void pollWithAZeroTimeoutTakesAReplyAlreadyBuffered() throws Exception {
    startServerThatSends(1);
    ChatSession chat = pulledSessionWithEverythingBuffered();
    assertThat(chat.poll(Duration.ZERO)).isEqualTo("r0");
    assertThat(chat.poll(Duration.ZERO)).isNull();
  }

  @Test
  void aRefusingCallbackExecutorEndsTheSessionWithItsReasonAndTheListenerStillHearsIt()
      throws Exception {
    RejectedExecutionException full = new RejectedExecutionException("queue full");
    pair =
        InProcessPair.start(
            HelloServer.builder(),
            client ->
                client.callbackExecutor(
                    task -> {
                      throw full;
                    }));
    Recorder listener = new Recorder();
    ChatSession chat = pair.client.openChat(listener);
    chat.send("x");

    listener.awaitEnd();

    assertThat(listener.events).containsExactly("error CANCELLED");
    assertThat(listener.error.getCause()).isSameAs(full);
    assertThat(chat.end())
        .contains(
            new ChatEnd(
                StatusCode.CANCELLED,
                "the callback executor refused to run the ChatListener: " + full));
    assertThat(logs.atOrAbove(Level.WARNING))
        .anySatisfy(line -> assertThat(line).contains("the callback executor refused a task"));
  }

  @Test
  void theClientLetsGoOfEndedSessions() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    List<WeakReference<ChatSession>> ended = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Recorder listener = new Recorder();
      listener.release.countDown();
      ChatSession chat = i % 2 == 0 ? pair.client.openChat() : pair.client.openChat(listener);
      chat.send("x");
      chat.complete();
      awaitEnd(chat);
      ended.add(new WeakReference<>(chat));
    }
    // Collected means nothing but garbage holds them. A few collections may be needed.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ended.stream().anyMatch(ref -> ref.get() != null)) {
      assertThat(System.nanoTime()).as("every ended session is collected in time").isLessThan(deadline);
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // between collections, not a wait
    }
  }
}
