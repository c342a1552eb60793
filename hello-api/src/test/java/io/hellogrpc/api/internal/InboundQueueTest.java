package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.testing.Background;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InboundQueueTest {
  /** Plays a transport that delivers exactly what was requested, as grpc does. */
  private final AtomicInteger granted = new AtomicInteger();
  private final List<Integer> grants = new ArrayList<>();

  private InboundQueue queue(int capacity) {
    InboundQueue queue =
        new InboundQueue(
            capacity,
            n -> {
              grants.add(n);
              granted.addAndGet(n);
            });
    queue.start();
    return queue;
  }

  private int delivered;

  /** Delivers as many messages as the queue has asked for and not yet received. */
  private void deliverAllGranted(InboundQueue queue) {
    while (delivered < granted.get()) {
      queue.add("m" + delivered++);
    }
  }

  @Test
  void asksForItsCapacityFirstAndNeverHoldsMore() {
    InboundQueue queue = queue(8);
    assertThat(grants).containsExactly(8);
    deliverAllGranted(queue);
    assertThat(queue.size()).isEqualTo(8);
    assertThat(granted.get()).isEqualTo(8); // full: nothing more was asked for
  }

  @Test
  void aSlowReaderGrantsWholeBatchesEvenWhenTheTransportHasNoCreditLeft()
      throws InterruptedException {
    InboundQueue queue = queue(8); // batch of 2
    deliverAllGranted(queue); // full: the transport has no credit left
    assertThat(queue.take()).isEqualTo("m0");
    assertThat(grants).containsExactly(8); // 7 still buffered: no hurry, no request per message
    assertThat(queue.take()).isEqualTo("m1");
    assertThat(grants).containsExactly(8, 2);
    deliverAllGranted(queue);
    for (int i = 2; i < 10; i++) {
      assertThat(queue.take()).isEqualTo("m" + i); // never starved
    }
  }

  @Test
  void whileTheTransportHasCreditFreedRoomRidesOnTheNextArrival() throws InterruptedException {
    InboundQueue queue = queue(8); // a reader's own grants come in batches of 2
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    assertThat(grants).containsExactly(8); // 7 still outstanding: no cross-thread request
    queue.add("b"); // the transport thread hands the freed slot back itself
    assertThat(grants).containsExactly(8, 1);
    assertThat(queue.take()).isEqualTo("b");
  }

  @Test
  void aReaderFarAheadGrantsInBatches() throws InterruptedException {
    InboundQueue queue = queue(8); // batch of 2
    queue.add("a");
    queue.add("b");
    queue.take();
    assertThat(grants).containsExactly(8);
    queue.take(); // two freed while the transport still has credit: one batch
    assertThat(grants).containsExactly(8, 2);
  }

  @Test
  void bufferedPlusRequestedNeverExceedsCapacityUnderChurn() throws InterruptedException {
    InboundQueue queue = queue(5);
    List<String> taken = new ArrayList<>();
    for (int round = 0; round < 1000; round++) {
      deliverAllGranted(queue);
      assertThat(queue.size() + (granted.get() - delivered)).isLessThanOrEqualTo(5);
      taken.add(queue.take());
    }
    for (int i = 0; i < taken.size(); i++) {
      assertThat(taken.get(i)).isEqualTo("m" + i);
    }
  }

  @Test
  void handsOutWhatIsBufferedThenNullAfterANormalEnd() throws InterruptedException {
    InboundQueue queue = queue(4);
    queue.add("a");
    queue.add("b");
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.endIfDrained()).isNull();
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.take()).isNull();
    assertThat(queue.endIfDrained()).isEqualTo(SessionEnd.of(ChatEnd.completed()));
  }

  @Test
  void handsOutWhatIsBufferedThenThrowsAfterAnErrorEnd() throws InterruptedException {
    InboundQueue queue = queue(4);
    queue.add("a");
    queue.endInput(SessionEnd.of(new ChatEnd(StatusCode.UNAVAILABLE, "server is shutting down")));
    assertThat(queue.take()).isEqualTo("a");
    assertThatThrownBy(queue::take)
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
              assertThat(e.description()).isEqualTo("server is shutting down");
            });
  }

  @Test
  void aFailureReplacesAnEarlierNormalEndButNotTheOtherWayRound() {
    InboundQueue queue = queue(4);
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    queue.endInput(SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "gone")));
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    assertThat(queue.endIfDrained().chatEnd().code()).isEqualTo(StatusCode.CANCELLED);
  }

  @Test
  void aBlockedTakeWakesWhenInputEnds() throws Exception {
    InboundQueue queue = queue(4);
    Background<String> taker = Background.start("taker", queue::take).untilBlocked();
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    assertThat(taker.get()).isNull();
  }

  @Test
  void pollReturnsNullWhenNothingArrivesInTime() throws InterruptedException {
    InboundQueue queue = queue(4);
    long start = System.nanoTime();
    assertThat(queue.poll(Duration.ofMillis(20).toNanos())).isNull();
    // A generous bound: a loaded machine may be slow to wake the poller, but not this slow.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    queue.add("late");
    assertThat(queue.poll(Duration.ofMillis(20).toNanos())).isEqualTo("late");
  }

  @Test
  void discardDropsEverythingButKeepsThePeerFlowing() {
    InboundQueue queue = queue(4);
    deliverAllGranted(queue);
    queue.discard();
    assertThat(queue.size()).isZero();
    assertThat(granted.get()).isEqualTo(8); // the 4 dropped were granted back
    for (int i = 0; i < 3; i++) {
      queue.add("late" + i); // each arrival is dropped and granted back at once
    }
    assertThat(queue.size()).isZero();
    assertThat(granted.get()).isEqualTo(11);
  }

  @Test
  void grantsNothingOnceInputEnded() throws InterruptedException {
    InboundQueue queue = queue(4);
    deliverAllGranted(queue);
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    for (int i = 0; i < 4; i++) {
      queue.take();
    }
    assertThat(grants).containsExactly(4);
  }

  @Test
  void aReaderKeepsTheMessageItTookWhenTheTransportRefusesTheGrant() throws Exception {
    InboundQueue queue =
        new InboundQueue(
            4,
            n -> {
              if (delivered > 0) { // the first window went through; the transport is gone now
                throw new RejectedExecutionException("event loop shut down");
              }
            });
    queue.start();
    for (int i = 0; i < 4; i++) {
      queue.add("m" + delivered++);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(queue.poll(0)).isEqualTo("m" + i); // the second take grants a batch, refused
    }
  }

  @Test
  void aMessageArrivingWhileAReaderWaitsWakesIt() throws Exception {
    InboundQueue queue = queue(4);
    Background<String> taker = Background.start("taker", queue::take).untilBlocked();
    Background<String> poller =
        Background.start("poller", () -> queue.poll(Duration.ofSeconds(30).toNanos()))
            .untilBlocked();

    queue.add("first");
    queue.add("second");

    assertThat(List.of(taker.get(), poller.get())).containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void closingForReadingWakesAWaitingReaderWithTheReason() {
    InboundQueue queue = queue(4);
    Background<String> taker = Background.start("taker", queue::take).untilBlocked();

    queue.closeForReading("close() was called");

    assertThatThrownBy(taker::get)
        .hasCauseInstanceOf(IllegalStateException.class)
        .cause()
        .hasMessage("close() was called");
  }

  @Test
  void afterClosingForReadingAReaderGetsTheEndOnceInputEnds() throws InterruptedException {
    InboundQueue queue = queue(4);
    queue.closeForReading("close() was called");
    queue.endInput(SessionEnd.of(ChatEnd.completed()));
    assertThat(queue.poll(0)).isNull();
  }

  @Test
  void anErrorEndCarriesItsCauseToTheReader() {
    InboundQueue queue = queue(4);
    IllegalStateException cause = new IllegalStateException("listener bug");
    queue.endInput(new SessionEnd(new ChatEnd(StatusCode.CANCELLED, "listener threw"), cause));
    assertThatThrownBy(queue::take).isInstanceOf(HelloException.class).hasCause(cause);
  }

  /** Counts what the queue holds, as the server's memory budget does. */
  private static final class CountedBytes implements HeldBytes {
    final AtomicLong held = new AtomicLong();

    @Override
    public void hold(long bytes) {
      held.addAndGet(bytes);
    }

    @Override
    public void release(long bytes) {
      held.addAndGet(-bytes);
    }
  }

  @Test
  void countsWhatItHoldsUntilEachMessageIsTaken() throws InterruptedException {
    CountedBytes bytes = new CountedBytes();
    InboundQueue queue = new InboundQueue(4, n -> {}, bytes);
    queue.start();

    queue.add("abc");
    queue.add("de");
    queue.add("f");
    assertThat(bytes.held).hasValue(6);
    assertThat(queue.poll(0)).isEqualTo("abc");
    assertThat(bytes.held).hasValue(3);
    assertThat(queue.tryPoll()).isEqualTo("de");
    assertThat(bytes.held).hasValue(1);
    assertThat(queue.take()).isEqualTo("f");
    assertThat(bytes.held).hasValue(0);
  }

  @Test
  void discardReleasesWhatItHeldAndHoldsNothingThatArrivesAfter() {
    CountedBytes bytes = new CountedBytes();
    InboundQueue queue = new InboundQueue(4, n -> {}, bytes);
    queue.start();
    queue.add("abc");
    queue.add("de");

    queue.discard();
    assertThat(bytes.held).hasValue(0);

    queue.add("late");
    assertThat(bytes.held).hasValue(0);
    assertThat(queue.tryPoll()).isNull();
  }
}
