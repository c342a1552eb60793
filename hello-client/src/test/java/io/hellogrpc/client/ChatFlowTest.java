package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ChatFlow}: a session's replies as a Flow.Publisher, and a Flow.Subscriber that sends. */
@Timeout(60)
class ChatFlowTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int BUFFER = 4;

  @RegisterExtension final LogCapture logs = new LogCapture();
  private InProcessPair pair;
  private ExecutorService callbacks; // a test's own callback executor, if it needs one

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    if (callbacks != null) {
      callbacks.shutdownNow();
      assertThat(callbacks.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  /** A server that answers one message "N" with N replies, then completes. */
  private void startCountingServer() throws Exception {
    pair = InProcessPair.start(countingServer(), client -> client.receiveBufferSize(BUFFER));
  }

  private static HelloServer.Builder countingServer() {
    return HelloServer.builder()
        .onChat(
            session -> {
              int count = Integer.parseInt(session.receive());
              for (int i = 0; i < count; i++) {
                session.send("r" + i);
              }
            });
  }

  /**
   * Records every signal, requests only what the test asks for, and checks the rules a publisher
   * must keep: onSubscribe first, onNext within demand, one end at most, nothing after it.
   */
  private static final class Recorder implements Flow.Subscriber<String> {
    final List<String> items = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>(); // null: completed
    final AtomicLong outstanding = new AtomicLong();
    final AtomicInteger signals = new AtomicInteger();
    volatile Runnable onEachItem = () -> {};

    void request(long n) throws Exception {
      outstanding.addAndGet(n);
      subscription.get(10, TimeUnit.SECONDS).request(n);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      signals.incrementAndGet();
      if (!subscription.complete(s)) {
        violations.add("onSubscribe twice");
      }
    }

    @Override
    public void onNext(String item) {
      signals.incrementAndGet();
      if (!subscription.isDone() || end.isDone()) {
        violations.add("onNext out of order: " + item);
      }
      if (outstanding.decrementAndGet() < 0) {
        violations.add("onNext beyond demand: " + item);
      }
      items.add(item);
      onEachItem.run();
    }

    @Override
    public void onError(Throwable error) {
      signals.incrementAndGet();
      if (!end.complete(error)) {
        violations.add("a second end: " + error);
      }
    }

    @Override
    public void onComplete() {
      signals.incrementAndGet();
      if (!end.complete(null)) {
        violations.add("a second end: onComplete");
      }
    }

    Throwable awaitEnd() throws Exception {
      return end.get(10, TimeUnit.SECONDS);
    }
  }

  // The replies as a publisher

  @Test
  void theRepliesComeWithinDemandInOrderAndThenOnComplete() throws Exception {
    startCountingServer();
    ChatSession chat = pair.client.openChat();
    Recorder recorder = new Recorder();
    ChatFlow.replies(chat).subscribe(recorder);
    // Replies the subscriber has not asked for wait in the receive buffer, and no more arrive.
    recorder.onEachItem =
        () -> {
          if (chat.receivedCount() > recorder.items.size() + BUFFER) {
            recorder.violations.add(
                "held " + (chat.receivedCount() - recorder.items.size()) + " replies unasked");
          }
        };
    chat.send("50");
    chat.complete();

    recorder.request(2);
    Waiting.until("two replies", () -> recorder.items.size() == 2);
    Waiting.until("the buffer full", () -> chat.receivedCount() == 2 + BUFFER);
    recorder.request(3);
    Waiting.until("five replies", () -> recorder.items.size() == 5);
    recorder.request(Long.MAX_VALUE); // unbounded from here on (rule 3.17)

    assertThat(recorder.awaitEnd()).isNull();
    assertThat(recorder.items).isEqualTo(numbered("r", 50));
    assertThat(recorder.violations).isEmpty();
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  @Test
  void anErrorEndComesAfterTheRepliesThatArrivedBeforeIt() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      session.send("one");
                      session.send("two");
                      session.fail(StatusCode.ABORTED, "the handler gave up");
                    }));
    ChatSession chat = pair.client.openChat();
    Recorder recorder = new Recorder();
    ChatFlow.replies(chat).subscribe(recorder);
    assertThat(chat.awaitEnd(WAIT)).isPresent(); // the error waits behind the replies
    assertThat(recorder.end).isNotDone();

    recorder.request(2);

    assertThat(recorder.awaitEnd())
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.ABORTED);
              assertThat(e.description()).isEqualTo("the handler gave up");
            });
    assertThat(recorder.items).containsExactly("one", "two");
    assertThat(recorder.violations).isEmpty();
  }

  @Test
  void cancellingTheSubscriptionCancelsTheSessionAndNothingMoreIsSignalled() throws Exception {
    callbacks = Executors.newSingleThreadExecutor();
    pair =
        InProcessPair.start(
            countingServer(), client -> client.receiveBufferSize(BUFFER).callbackExecutor(callbacks));
    ChatSession chat = pair.client.openChat();
    Recorder recorder = new Recorder();
    ChatFlow.replies(chat).subscribe(recorder);
    chat.send("1000");
    recorder.request(3);
    Waiting.until("three replies", () -> recorder.items.size() == 3);

    recorder.subscription.get().cancel();

    assertThat(chat.awaitEnd(WAIT))
        .contains(
            new ChatEnd(
                StatusCode.CANCELLED,
                "the Flow.Subscriber of the replies cancelled its subscription"));
    recorder.subscription.get().request(10); // a no-op now (rule 3.6)
    callbacks.submit(() -> {}).get(); // after every signal on its way: the executor is serial
    assertThat(recorder.signals).hasValue(4); // onSubscribe and three onNext
    assertThat(recorder.end).isNotDone();
    assertThat(recorder.items).containsExactly("r0", "r1", "r2");
  }

  @Test
  void aSecondSubscriberIsRefusedWithOnErrorAndTheFirstCarriesOn() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Flow.Publisher<String> replies = ChatFlow.replies(chat);
    Recorder first = new Recorder();
    replies.subscribe(first);

    Recorder second = new Recorder();
    replies.subscribe(second);
    Recorder third = new Recorder();
    ChatFlow.replies(chat).subscribe(third);

    assertThat(second.awaitEnd())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already go to a Flow.Subscriber");
    assertThat(second.subscription).isDone();
    assertThat(third.awaitEnd()).isInstanceOf(IllegalStateException.class);
    first.request(1);
    chat.send("a");
    chat.complete();
    assertThat(first.awaitEnd()).isNull();
    assertThat(first.items).containsExactly("hello:a");
  }

  @Test
  void onceSubscribedTheRepliesCannotBePulled() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Recorder recorder = new Recorder();
    ChatFlow.replies(chat).subscribe(recorder);

    assertThatThrownBy(chat::receive)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("go to a Flow.Subscriber");
    assertThatThrownBy(() -> chat.poll(WAIT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(chat::replies).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSessionWithAListenerOrClosedRefusesASubscriber() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    Recorder withListener = new Recorder();
    ChatFlow.replies(pair.client.openChat((session, message) -> {})).subscribe(withListener);
    assertThat(withListener.awaitEnd())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ChatListener");

    ChatSession closed = pair.client.openChat();
    closed.close();
    Recorder afterClose = new Recorder();
    ChatFlow.replies(closed).subscribe(afterClose);
    assertThat(afterClose.awaitEnd())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("close() was called");
  }

  @Test
  void requestingZeroIsAnErrorThatCancelsTheSession() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Recorder recorder = new Recorder();
    ChatFlow.replies(chat).subscribe(recorder);

    recorder.request(0);

    assertThat(recorder.awaitEnd())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule 3.9");
    assertThat(chat.awaitEnd(WAIT))
        .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.CANCELLED));
  }

  @Test
  void aSubscriberThatThrowsCancelsTheSessionAndHearsNothingMore() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    IllegalStateException bug = new IllegalStateException("the subscriber's bug");
    Recorder recorder = new Recorder();
    recorder.onEachItem =
        () -> {
          throw bug;
        };
    ChatFlow.replies(chat).subscribe(recorder);
    recorder.request(5);

    chat.send("a");

    assertThat(chat.awaitEnd(WAIT))
        .hasValueSatisfying(
            end -> {
              assertThat(end.code()).isEqualTo(StatusCode.CANCELLED);
              assertThat(end.description()).isEqualTo("the Flow.Subscriber's onNext threw " + bug);
            });
    assertThat(recorder.items).containsExactly("hello:a");
    assertThat(recorder.end).isNotDone();
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .contains("a Flow.Subscriber's onNext threw; the session is cancelled");
  }

  @Test
  void aSubscriberToACancelledSessionGetsTheErrorWithoutRequesting() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    chat.cancel();
    Recorder recorder = new Recorder();

    ChatFlow.replies(chat).subscribe(recorder);

    assertThat(recorder.awaitEnd())
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
    assertThat(recorder.subscription).isDone();
  }

  @Test
  void onlySessionsOfAHelloClientAdapt() {
    assertThatThrownBy(() -> ChatFlow.replies(null)).isInstanceOf(NullPointerException.class);
    ChatSession fake =
        (ChatSession)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ChatSession.class}, (p, m, a) -> null);
    assertThatThrownBy(() -> ChatFlow.sender(fake))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HelloClient.openChat()");
  }

  // The sender

  /**
   * A publisher of {@code count} numbered messages that checks a subscriber's demand: it emits
   * only what was requested, records each request with how many messages the session had taken
   * then, and completes after the last. ({@code SendingSubscriberTest} checks, from inside, that
   * each request comes while the session can take a message.)
   */
  private static final class Source implements Flow.Publisher<String> {
    final int count;
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<Long> requestsAt = new CopyOnWriteArrayList<>(); // session.sentCount() then
    final CountDownLatch cancelled = new CountDownLatch(1);
    private final ChatSession session;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger work = new AtomicInteger();
    private int emitted; // under work
    private boolean finished; // under work
    private Flow.Subscriber<? super String> subscriber;

    Source(int count, ChatSession session) {
      this.count = count;
      this.session = session;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> s) {
      subscriber = s;
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              if (n != 1) {
                violations.add("request(" + n + ")");
              }
              requestsAt.add(session.sentCount());
              demand.addAndGet(n);
              emit();
            }

            @Override
            public void cancel() {
              cancelled.countDown();
              finished = true;
            }
          });
      emit();
    }

    /** Emits on the requesting thread, never recursively (the subscriber may request inside). */
    private void emit() {
      if (work.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        while (!finished && demand.get() > 0 && emitted < count) {
          demand.decrementAndGet();
          subscriber.onNext("m" + emitted++);
        }
        if (!finished && emitted == count) {
          finished = true;
          subscriber.onComplete();
        }
        missed = work.addAndGet(-missed);
      } while (missed != 0);
    }
  }

  @Test
  void theSenderSendsEveryMessageInOrderThenCompletesTheSession() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Source source = new Source(1000, chat);

    source.subscribe(ChatFlow.sender(chat));

    List<String> got = new ArrayList<>();
    for (String reply : chat.replies()) {
      got.add(reply);
    }
    assertThat(got).isEqualTo(numbered("hello:m", 1000));
    assertThat(chat.end()).contains(ChatEnd.completed());
    assertThat(source.violations).isEmpty();
  }

  @Test
  void anUpstreamErrorCancelsTheSessionWithItAsTheCause() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Flow.Subscriber<String> sender = ChatFlow.sender(chat);
    sender.onSubscribe(new NoSubscription());
    IllegalStateException failure = new IllegalStateException("the source broke");

    sender.onError(failure);

    assertThat(chat.awaitEnd(WAIT))
        .contains(
            new ChatEnd(
                StatusCode.CANCELLED, "the Flow.Publisher of the messages failed: " + failure));
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(HelloException.class, e -> assertThat(e).hasCause(failure));
  }

  @Test
  void whenTheSessionEndsTheSenderCancelsItsSubscription() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    NoSubscription subscription = new NoSubscription();
    ChatFlow.sender(chat).onSubscribe(subscription);
    Waiting.until("one message requested", () -> subscription.requested.get() == 1);

    chat.cancel();

    assertThat(subscription.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aMessageTheSessionRefusesCancelsTheSubscriptionAndTheSession() throws Exception {
    pair = InProcessPair.start(HelloServer.builder(), client -> client.maxMessageSize(16));
    ChatSession chat = pair.client.openChat();
    Flow.Subscriber<String> sender = ChatFlow.sender(chat);
    NoSubscription subscription = new NoSubscription();
    sender.onSubscribe(subscription);
    Waiting.until("one message requested", () -> subscription.requested.get() == 1);

    sender.onNext("x".repeat(100));

    assertThat(subscription.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(chat.end())
        .hasValueSatisfying(
            end -> {
              assertThat(end.code()).isEqualTo(StatusCode.CANCELLED);
              assertThat(end.description())
                  .startsWith("a message of the Flow.Publisher cannot be sent:")
                  .contains("maxMessageSize");
            });
  }

  @Test
  void aSecondSubscriptionIsCancelledAndNullsAreRefused() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    Flow.Subscriber<String> sender = ChatFlow.sender(chat);
    sender.onSubscribe(new NoSubscription());
    NoSubscription second = new NoSubscription();

    sender.onSubscribe(second);

    assertThat(second.cancelled.getCount()).isZero();
    assertThatThrownBy(() -> sender.onNext(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> sender.onError(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> sender.onSubscribe(null)).isInstanceOf(NullPointerException.class);
    assertThat(chat.end()).isEmpty();
  }

  /** The JDK's own publisher, through the sender, and the replies through the publisher. */
  @Test
  void aSubmissionPublisherFeedsTheSessionAndTheRepliesFlowBack() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder().receiveBufferSize(4), client -> client.receiveBufferSize(4));
    ChatSession chat = pair.client.openChat();
    Recorder replies = new Recorder();
    ChatFlow.replies(chat).subscribe(replies);
    replies.request(Long.MAX_VALUE);

    try (SubmissionPublisher<String> source = new SubmissionPublisher<>(Runnable::run, 8)) {
      source.subscribe(ChatFlow.sender(chat));
      for (int i = 0; i < 2000; i++) {
        source.submit("m" + i); // blocks while the sender's buffer of 8 is full
      }
    } // close(): onComplete, and the session completes once every message is taken

    assertThat(replies.awaitEnd()).isNull();
    assertThat(replies.items).isEqualTo(numbered("hello:m", 2000));
    assertThat(replies.violations).isEmpty();
    assertThat(chat.end()).contains(ChatEnd.completed());
  }

  /** A subscription that records what the subscriber asks of it. */
  private static final class NoSubscription implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final CountDownLatch cancelled = new CountDownLatch(1);

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.countDown();
    }
  }
}
