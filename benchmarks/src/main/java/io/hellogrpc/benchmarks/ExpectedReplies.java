package io.hellogrpc.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replies of one session as they must come: {@code "hello:0"}, {@code "hello:1"}, ..., then a
 * normal end. Whoever receives replies hands each to {@link #accept} and reports the end; whoever
 * waits calls {@link #awaitEnd}. {@link #accept} is called by one thread at a time.
 */
final class ExpectedReplies {
  private final long messages;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private long received; // guarded by the receive path being one thread at a time
  private volatile long endNanos;

  ExpectedReplies(long messages) {
    this.messages = messages;
  }

  /**
   * Checks the next reply.
   *
   * @return the count of replies so far
   * @throws BenchmarkFailure if it is not the expected one
   */
  long accept(String reply) {
    String expected = Messages.expectedReply(received);
    if (!reply.equals(expected)) {
      BenchmarkFailure wrong =
          new BenchmarkFailure("reply " + received + " was '" + reply + "', expected '" + expected + "'");
      fail(wrong);
      throw wrong;
    }
    return ++received;
  }

  /** The session ended normally. */
  void completed() {
    if (received != messages) {
      fail(new BenchmarkFailure("the session ended after " + received + " of " + messages + " replies"));
      return;
    }
    endNanos = System.nanoTime();
    ended.countDown();
  }

  /** The session ended otherwise; the first failure is the one reported. */
  void fail(Throwable why) {
    failure.compareAndSet(null, why);
    endNanos = System.nanoTime();
    ended.countDown();
  }

  /** Waits for the end; false if {@code timeout} passed first. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * After the end: the time since {@code startNanos}.
   *
   * @throws BenchmarkFailure if the session did not end normally
   */
  Duration elapsedSince(long startNanos) {
    Throwable why = failure.get();
    if (why instanceof BenchmarkFailure) {
      throw (BenchmarkFailure) why;
    }
    if (why != null) {
      throw new BenchmarkFailure("the session failed after " + received + " replies", why);
    }
    return Duration.ofNanos(endNanos - startNanos);
  }
}
