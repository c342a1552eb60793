package io.hellogrpc.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline: the suites' only way to wait for something to happen.
 * Shared with the other modules' tests through hello-api's test jar.
 */
public final class Waiting {
  private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();

  private Waiting() {}

  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(POLL_NANOS); // checks often without taking a core from the code under test
    }
  }

  /** Waits until {@code thread} is parked or waiting, as a thread blocked in send or receive is. */
  public static void untilBlocked(Thread thread) {
    until(thread.getName() + " blocks", () -> isBlocked(thread));
  }

  /** Whether {@code thread} is parked or waiting now. */
  public static boolean isBlocked(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }
}
