package io.hellogrpc.api.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets calls in until it is closed, then lets the closer wait until the calls it let in have left,
 * and stop what calls use (event loops, timers) only once the last has: no call that got in ever
 * meets a stopped one. Checking "not closed" and counting the call in are one atomic step, so no
 * call can slip in between the closer's check and its stopping things.
 *
 * <p>A call enters and leaves on one thread. A closer that is itself inside a call (a listener
 * that closes the client from a call's own thread) does not wait for that call.
 */
public final class Admission {
  private static final long CLOSED = 1; // the low bit; the calls inside are counted in steps of 2
  private static final long ONE_CALL = 2;

  private final AtomicLong state = new AtomicLong();
  private final ThreadLocal<int[]> insideHere = ThreadLocal.withInitial(() -> new int[1]);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition left = lock.newCondition(); // signalled as calls leave, once closed
  private final CompletableFuture<Void> allLeft = new CompletableFuture<>();

  /** Lets a call in, unless closed. Each {@code true} must be followed by one {@link #leave()}. */
  public boolean enter() {
    for (long current = state.get(); (current & CLOSED) == 0; current = state.get()) {
      if (state.compareAndSet(current, current + ONE_CALL)) {
        insideHere.get()[0]++;
        return true;
      }
    }
    return false;
  }

  /**
   * A call let in by {@link #enter()} on this thread has left.
   *
   * @throws IllegalStateException if no call let in on this thread is inside
   */
  public void leave() {
    int[] here = insideHere.get();
    if (here[0] == 0) {
      throw new IllegalStateException("leave() without enter() on this thread");
    }
    here[0]--;
    long now = state.addAndGet(-ONE_CALL);
    if ((now & CLOSED) != 0) {
      if (now == CLOSED) {
        allLeft.complete(null);
      }
      lock.lock();
      try {
        left.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Lets no call in from now on. True the first time only. */
  public boolean close() {
    long before = state.getAndAccumulate(CLOSED, (current, bit) -> current | bit);
    if ((before & CLOSED) != 0) {
      return false;
    }
    if (before == 0) {
      allLeft.complete(null);
    }
    return true;
  }

  /**
   * After {@link #close()}: waits until every call let in has left, but for those of the calling
   * thread, or until {@code deadlineNanos} (System.nanoTime()); true if they have.
   */
  public boolean awaitOthersLeft(long deadlineNanos) throws InterruptedException {
    long mine = ONE_CALL * insideHere.get()[0];
    lock.lock();
    try {
      while (state.get() - CLOSED > mine) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        left.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * After {@link #close()}: runs {@code stop} now if every call let in has left, else on the thread
   * of the last to leave, as it leaves. True if it ran now.
   */
  public boolean whenAllLeft(Runnable stop) {
    if (allLeft.isDone()) {
      stop.run();
      return true;
    }
    allLeft.thenRun(stop);
    return false;
  }
}
