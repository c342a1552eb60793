package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ChatSessionTest {
  /** Throwing handlers and listeners are logged, as they should be: kept, not printed. */
  @RegisterExtension final LogCapture logs = new LogCapture();
  private InProcessPair pair;
  private ExecutorService callbackPool; // a test's own, given to its client

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    if (callbackPool != null) {
      callbackPool.shutdownNow();
      assertThat(callbackPool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void echoesTenThousandMessagesInOrder() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
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
    sender.get();
    assertThat(chat.awaitEnd(Duration.ofSeconds(5))).contains(ChatEnd.completed());
  }

  @Test
  void severalThreadsSendIntoOneSessionAndEachKeepsItsOrder() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    int threads = 4;
    int each = 2_500;
    List<Background<Void>> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      senders.add(
          Background.start(
              "sender-" + t,
              () -> {
                for (int i = 0; i < each; i++) {
                  chat.send(id + ":" + i);
                }
                return null;
              }));
    }
    Map<Integer, Integer> nextByThread = new HashMap<>();
    for (int n = 0; n < threads * each; n++) {
      String reply = chat.receive();
      assertThat(reply).startsWith("hello:");
      String[] parts = reply.substring("hello:".length()).split(":");
      int thread = Integer.parseInt(parts[0]);
      int index = Integer.parseInt(parts[1]);
      assertThat(index).isEqualTo(nextByThread.getOrDefault(thread, 0));
      nextByThread.put(thread, index + 1);
    }
    for (Background<Void> sender : senders) {
      sender.get();
    }
    assertThat(nextByThread).hasSize(threads).allSatisfy((thread, next) -> assertThat(next).isEqualTo(each));
    chat.complete();
    assertThat(chat.receive()).isNull();
  }

  @Test
  void severalReadersShareTheRepliesNoneTwiceNoneLostEachInArrivalOrder() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    int total = 1_000;
    List<Background<List<Integer>>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      readers.add(
          Background.start(
              "reader-" + r,
              () -> {
                List<Integer> taken = new ArrayList<>();
                for (String reply = chat.receive(); reply != null; reply = chat.receive()) {
                  taken.add(Integer.parseInt(reply.substring("hello:".length())));
                }
                return taken;
              }));
    }
    for (int i = 0; i < total; i++) {
      chat.send(Integer.toString(i));
    }
    chat.complete();
    List<Integer> all = new ArrayList<>();
    for (Background<List<Integer>> reader : readers) {
      List<Integer> taken = reader.get(); // both woke for the end: each got its null
      assertThat(taken).as(reader.thread().getName()).isSorted();
      all.addAll(taken);
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, total).boxed().toList());
  }

  @Test
  void listenerCallbacksRunOneAtATimeInArrivalOrderThenTheEndOnce() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    List<String> events = new ArrayList<>(); // only touched inside callbacks: they never overlap
    AtomicInteger inCallback = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicReference<String> callbackThread = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    ChatSession chat =
        pair.client.openChat(
            new ChatListener() {
              @Override
              public void onMessage(ChatSession session, String message) {
                enter();
                events.add(message);
                callbackThread.set(Thread.currentThread().getName());
                inCallback.decrementAndGet();
              }

              @Override
              public void onCompleted(ChatSession session) {
                enter();
                events.add("completed");
                inCallback.decrementAndGet();
                ended.countDown();
              }

              @Override
              public void onError(ChatSession session, HelloException error) {
                events.add("error " + error);
                ended.countDown();
              }

              private void enter() {
                if (inCallback.incrementAndGet() > 1) {
                  overlaps.incrementAndGet();
                }
              }
            });
    for (int i = 0; i < 2_000; i++) {
      chat.send(Integer.toString(i));
    }
    chat.complete();
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps.get()).isZero();
    assertThat(events).hasSize(2_001);
    for (int i = 0; i < 2_000; i++) {
      assertThat(events.get(i)).isEqualTo("hello:" + i);
    }
    assertThat(events.get(2_000)).isEqualTo("completed");
    assertThat(callbackThread.get()).startsWith("hello-client-callback-");
    assertThatThrownBy(chat::receive)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ChatListener");
  }

  @Test
  void listenerCallbacksRunOnTheCallbackExecutorGivenToTheClient() throws Exception {
    AtomicInteger threads = new AtomicInteger();
    callbackPool =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "app-callback-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pair =
        InProcessPair.start(HelloServer.builder(), client -> client.callbackExecutor(callbackPool));
    Recorder listener = new Recorder();
    ChatSession chat = pair.client.openChat(listener);
    for (int i = 0; i < 100; i++) {
      chat.send("m" + i);
    }
    chat.complete();
    listener.awaitEnd();
    assertThat(listener.events)
        .hasSize(101)
        .startsWith("hello:m0")
        .endsWith("hello:m99", "completed");
    assertThat(listener.threads)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("app-callback-"));
  }

  @Test
  void aListenerThatThrowsCancelsTheSessionAndHearsWhy() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    AtomicReference<HelloException> error = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    ChatSession chat =
        pair.client.openChat(
            new ChatListener() {
              @Override
              public void onMessage(ChatSession session, String message) {
                throw new IllegalStateException("listener bug");
              }

              @Override
              public void onError(ChatSession session, HelloException e) {
                error.set(e);
                ended.countDown();
              }
            });
    chat.send("x");
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(error.get().code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(error.get().description()).contains("ChatListener.onMessage threw").contains("listener bug");
    assertThat(chat.end()).map(ChatEnd::code).contains(StatusCode.CANCELLED);
  }

  @Test
  void aListenerGetsTheRepliesThenOnErrorWithTheStatusWhenTheSessionFails() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      session.send("one");
                      session.send("two");
                      session.fail(StatusCode.RESOURCE_EXHAUSTED, "quota used up");
                    }));
    Recorder listener = new Recorder();
    ChatSession chat = pair.client.openChat(listener);
    listener.awaitEnd();
    assertThat(listener.events)
        .containsExactly("one", "two", "error RESOURCE_EXHAUSTED: quota used up");
    assertThat(chat.end()).contains(new ChatEnd(StatusCode.RESOURCE_EXHAUSTED, "quota used up"));
  }

  @Test
  void afterCompleteRepliesKeepComingUntilTheEnd() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    for (int i = 0; i < 100; i++) {
      chat.send("m" + i);
    }
    chat.complete();
    chat.complete(); // idempotent
    assertThatThrownBy(() -> chat.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("complete() was called");
    List<String> replies = new ArrayList<>();
    for (String reply : chat.replies()) {
      replies.add(reply);
    }
    assertThat(replies).hasSize(100).startsWith("hello:m0").endsWith("hello:m99");
    assertThat(chat.end()).contains(ChatEnd.completed());
    assertThat(chat.receive()).isNull();
  }

  @Test
  void cancelWakesABlockedReceiveAndTellsTheServer() throws Exception {
    AtomicReference<ChatEnd> serverSaw = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      try {
                        session.receive(); // never answered: waits for the client
                      } finally {
                        serverSaw.set(session.end().orElse(null));
                        serverDone.countDown();
                      }
                    }));
    ChatSession chat = pair.client.openChat();
    Background<String> receiver = Background.start("receiver", chat::receive).untilBlocked();

    chat.cancel();

    HelloException e = receiver.failure();
    assertThat(e.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(e.description()).isEqualTo("cancelled by the client");
    assertThat(chat.end()).map(ChatEnd::code).contains(StatusCode.CANCELLED);
    assertThat(serverDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(serverSaw.get().code()).isEqualTo(StatusCode.CANCELLED);
    Waiting.until("the server frees the session", () -> pair.server.activeSessions() == 0);
    assertThatThrownBy(() -> chat.send("after cancel"))
        .isInstanceOfSatisfying(
            HelloException.class, ex -> assertThat(ex.code()).isEqualTo(StatusCode.CANCELLED));
  }

  @Test
  void cancelDropsTheRepliesAlreadyBuffered() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    for (int i = 0; i < 3; i++) {
      chat.send("m" + i);
    }
    // receivedCount counts arrivals: none was read, so all three wait in the buffer.
    Waiting.until("three replies are buffered", () -> chat.receivedCount() == 3);

    chat.cancel();

    assertFailsWith(chat::receive, StatusCode.CANCELLED, "cancelled by the client");
    assertThat(chat.receivedCount()).isEqualTo(3);
  }

  @Test
  void serverShutdownEndsTheSessionAndWakesABlockedSendAndReceive() throws Exception {
    startServerThatReadsAfter(new CountDownLatch(1)); // never: it reads nothing
    ChatSession chat = pair.client.openChat();
    chat.send("fills the server's one-message buffer");
    Background<Void> sender = blockedSender(chat, "waits for room");
    Background<String> receiver =
        Background.start("blocked-receiver", chat::receive).untilBlocked();

    pair.server.shutdownNow();

    for (HelloException e : List.of(sender.failure(), receiver.failure())) {
      assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(e.description()).isEqualTo("server is shutting down");
    }
    assertThat(chat.end()).contains(new ChatEnd(StatusCode.UNAVAILABLE, "server is shutting down"));
  }

  @Test
  void aBlockedSendResumesOnceTheServerReads() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    startServerThatReadsAfter(reading);
    ChatSession chat = pair.client.openChat();
    chat.send("m0"); // fills the server's one-message buffer
    int total = 20;
    String[] more = IntStream.range(1, total).mapToObj(i -> "m" + i).toArray(String[]::new);
    Background<Void> sender = blockedSender(chat, more);
    assertThat(chat.sentCount()).isEqualTo(1);

    reading.countDown();

    sender.get();
    chat.complete();
    assertThat(chat.sentCount()).isEqualTo(total);
    for (int i = 0; i < total; i++) {
      assertThat(chat.receive()).isEqualTo("hello:m" + i);
    }
    assertThat(chat.receive()).isNull();
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  /** A server with room for one message a session: reads none until {@code reading}, then echoes. */
  private void startServerThatReadsAfter(CountDownLatch reading) throws IOException {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .receiveBufferSize(1)
                .onChat(
                    session -> {
                      reading.await();
                      for (String message : session.messages()) {
                        session.send("hello:" + message);
                      }
                    }));
  }

  /** Sends {@code messages} from a thread of its own, once that thread is held in a send. */
  private static Background<Void> blockedSender(ChatSession chat, String... messages) {
    return Background.<Void>start(
            "blocked-sender",
            () -> {
              for (String message : messages) {
                chat.send(message);
              }
              return null;
            })
        .untilBlocked();
  }

  @Test
  void countsSayWhichMessagesWentUnansweredWhenTheServerShutsDown() throws Exception {
    CountDownLatch answeredThree = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      for (int i = 0; i < 3; i++) {
                        session.send("hello:" + session.receive());
                      }
                      answeredThree.countDown();
                      session.awaitEnd(Duration.ofSeconds(10)); // reads nothing more
                    }));
    ChatSession chat = pair.client.openChat();
    for (int i = 0; i < 5; i++) {
      chat.send("m" + i);
    }
    assertThat(answeredThree.await(10, TimeUnit.SECONDS)).isTrue();
    Waiting.until("three replies arrive", () -> chat.receivedCount() == 3);

    pair.server.shutdownNow();

    assertThat(chat.awaitEnd(Duration.ofSeconds(10))).map(ChatEnd::code).contains(StatusCode.UNAVAILABLE);
    assertThat(chat.sentCount()).isEqualTo(5);
    assertThat(chat.receivedCount()).isEqualTo(3); // so m3 and m4 were not answered
    assertThat(List.of(chat.receive(), chat.receive(), chat.receive()))
        .containsExactly("hello:m0", "hello:m1", "hello:m2");
    // then the end that came after them
    assertFailsWith(chat::receive, StatusCode.UNAVAILABLE, "server is shutting down");
  }

  @Test
  void aSlowReaderNeverHoldsMoreThanItsBuffer() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Thread> handler = new AtomicReference<>();
    int total = 1_000;
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      handler.set(Thread.currentThread());
                      for (int i = 0; i < total; i++) {
                        session.send("r" + i);
                        sent.incrementAndGet();
                      }
                    }),
            client -> client.receiveBufferSize(16));
    ChatSession chat = pair.client.openChat();

    // The client reads nothing: the server gets exactly the client's buffer out, then waits.
    Waiting.until("the handler runs", () -> handler.get() != null);
    Waiting.until("the handler is blocked", () -> sent.get() == 16 && handler.get().getState() == Thread.State.WAITING);
    assertThat(sent.get()).isEqualTo(16);

    for (int i = 0; i < total; i++) {
      assertThat(chat.receive()).isEqualTo("r" + i);
    }
    assertThat(chat.receive()).isNull();
    assertThat(sent.get()).isEqualTo(total);
  }

  @Test
  void aDeadlineEndsTheSessionAsSuch() throws Exception {
    AtomicReference<ChatEnd> serverSaw = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      try {
                        session.receive();
                      } finally {
                        serverSaw.set(session.end().orElse(null));
                        serverDone.countDown();
                      }
                    }),
            client -> client.chatDeadline(Duration.ofMillis(200)));
    ChatSession chat = pair.client.openChat();
    ChatEnd deadline =
        new ChatEnd(
            StatusCode.DEADLINE_EXCEEDED,
            "the session lasted longer than its chatDeadline of PT0.2S");
    assertFailsWith(chat::receive, deadline.code(), deadline.description());
    assertThat(chat.end()).contains(deadline);
    assertThat(serverDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(serverSaw.get().code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
  }

  @Test
  void aFailingHandlerEndsTheSessionAfterTheRepliesBeforeIt() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChannel(
                    message -> {
                      if (message.equals("boom")) {
                        throw new IllegalArgumentException("cannot greet boom");
                      }
                      return "hello:" + message;
                    }));
    ChatSession chat = pair.client.openChat();
    chat.send("a");
    chat.send("boom");
    assertThat(chat.receive()).isEqualTo("hello:a");
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN);
              assertThat(e.description())
                  .contains("Channel handler failed with IllegalArgumentException")
                  .doesNotContain("cannot greet boom");
            });
    assertThat(chat.end()).map(ChatEnd::code).contains(StatusCode.UNKNOWN);
  }

  @Test
  void nullAndOversizedMessagesAreRefusedAndTheSessionCarriesOn() throws Exception {
    pair = InProcessPair.start(HelloServer.builder(), client -> client.maxMessageSize(64));
    ChatSession chat = pair.client.openChat();
    assertThatThrownBy(() -> chat.send(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("message is null");
    assertThatThrownBy(() -> chat.send("x".repeat(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("102 bytes")
        .hasMessageContaining("limit of 64 bytes");
    chat.send("still here");
    assertThat(chat.receive()).isEqualTo("hello:still here");
    assertThat(chat.end()).isEmpty();
    chat.cancel();
  }

  @Test
  void pollWaitsAtMostItsTimeout() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    long start = System.nanoTime();
    assertThat(chat.poll(Duration.ofMillis(50))).isNull();
    // A generous bound: a loaded machine may be slow to wake the poller, but not this slow.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(chat.end()).isEmpty();
    chat.send("x");
    assertThat(chat.poll(Duration.ofSeconds(10))).isEqualTo("hello:x");
    chat.cancel();
  }

  @Test
  void aBlockedPollWakesWhenTheSessionEnds() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> finish.await()));
    ChatSession chat = pair.client.openChat();
    Background<String> poller =
        Background.start("poller", () -> chat.poll(Duration.ofSeconds(30))).untilBlocked();

    finish.countDown(); // the handler returns: the server completes the session

    assertThat(poller.get()).isNull(); // within get's 10 s: woken by the end, not its timeout
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  @Test
  void sendAfterTheServerCompletedSaysTheSessionEnded() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> session.complete()));
    ChatSession chat = pair.client.openChat();
    assertThat(chat.receive()).isNull();
    assertThat(chat.end()).contains(ChatEnd.completed());
    assertThatThrownBy(() -> chat.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has ended");
  }

  @Test
  void afterCloseReadingFailsAtOnceInsteadOfWaitingForTheEnd() throws Exception {
    CountDownLatch neverRelease = new CountDownLatch(1);
    pair = InProcessPair.start(HelloServer.builder().onChat(session -> neverRelease.await()));
    ChatSession chat = pair.client.openChat();
    chat.close();
    assertThatThrownBy(chat::receive)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("close() was called");
    assertThatThrownBy(() -> chat.poll(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    chat.cancel();
  }

  @Test
  void closingTheClientCancelsItsOpenSessionsSayingSo() throws Exception {
    CountDownLatch neverRelease = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder().onChat(session -> neverRelease.await()),
            client -> client.shutdownGracePeriod(Duration.ofMillis(100)));
    ChatSession chat = pair.client.openChat();
    Background<String> receiver = Background.start("receiver", chat::receive).untilBlocked();

    pair.client.close();

    HelloException e = receiver.failure();
    assertThat(e.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(e.description()).isEqualTo("the HelloClient was closed");
    assertThat(chat.end()).contains(new ChatEnd(StatusCode.CANCELLED, "the HelloClient was closed"));
  }

  @Test
  void closeHalfClosesAndLetsTheServerFinish() throws Exception {
    AtomicReference<String> serverRead = new AtomicReference<>("unset");
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      session.send("unread reply");
                      serverRead.set(session.receive()); // null: the client completed
                    }));
    ChatSession chat = pair.client.openChat();
    chat.close();
    assertThat(chat.awaitEnd(Duration.ofSeconds(10))).contains(ChatEnd.completed());
    assertThat(serverRead.get()).isNull();
    assertThat(chat.receivedCount()).isEqualTo(1); // it arrived, and was discarded unread
    assertThatThrownBy(chat::receive).isInstanceOf(IllegalStateException.class);
    chat.close(); // idempotent
  }

  /** Asserts that {@code call} throws HelloException with {@code code} and {@code description}. */
  private static void assertFailsWith(ThrowingCallable call, StatusCode code, String description) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.description()).isEqualTo(description);
            });
  }

  /** Records a listener's callbacks, and the threads they ran on, until the session ends. */
  private static final class Recorder implements ChatListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onMessage(ChatSession session, String message) {
      record(message);
    }

    @Override
    public void onCompleted(ChatSession session) {
      record("completed");
      ended.countDown();
    }

    @Override
    public void onError(ChatSession session, HelloException error) {
      record("error " + error.code() + ": " + error.description());
      ended.countDown();
    }

    void awaitEnd() throws InterruptedException {
      assertThat(ended.await(10, TimeUnit.SECONDS)).as("the session ends").isTrue();
    }

    private void record(String event) {
      threads.add(Thread.currentThread().getName());
      events.add(event);
    }
  }
}
