package io.hellogrpc.api.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets calls in until it is closed, then lets the closer wait until every call it let in has left:
 * what the closer stops after that wait (event loops, timers) is never met by a call that started
 * before. Checking "not closed" and counting the call in are one atomic step, so no call can slip
 * in between the closer's check and its stopping things.
 */
public final class Admission {
  private static final long CLOSED = 1; // the low bit; the calls inside are counted in steps of 2
  private static final long ONE_CALL = 2;

  private final AtomicLong state = new AtomicLong();
  private final CountDownLatch allLeft = new CountDownLatch(1);

  /** Lets a call in, unless closed. Each {@code true} must be followed by one {@link #leave()}. */
  public boolean enter() {
    for (long current = state.get(); (current & CLOSED) == 0; current = state.get()) {
      if (state.compareAndSet(current, current + ONE_CALL)) {
        return true;
      }
    }
    return false;
  }

  /** A call let in by {@link #enter()} has left. */
  public void leave() {
    if (state.addAndGet(-ONE_CALL) == CLOSED) {
      allLeft.countDown();
    }
  }

  /** Lets no call in from now on. True the first time only. */
  public boolean close() {
    long before = state.getAndAccumulate(CLOSED, (current, bit) -> current | bit);
    if ((before & CLOSED) != 0) {
      return false;
    }
    if (before == 0) {
      allLeft.countDown();
    }
    return true;
  }

  /**
   * After {@link #close()}: waits until every call let in has left, or {@code deadlineNanos}
   * (System.nanoTime()); true if they have.
   */
  public boolean awaitAllLeft(long deadlineNanos) throws InterruptedException {
    return allLeft.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }
}
