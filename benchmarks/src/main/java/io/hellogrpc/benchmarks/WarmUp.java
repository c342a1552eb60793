package io.hellogrpc.benchmarks;

import java.time.Duration;

/**
 * Warms a contender up before it is measured: passes, one after another, until {@link #TIME} has
 * gone by, so that the JIT has compiled its hot path. A fixed, short warm-up left the library,
 * whose path is longer than plain grpc-java's, still compiling in the first measured rounds.
 */
final class WarmUp {
  static final Duration TIME = Duration.ofSeconds(10);

  /** One pass; {@code number} counts from 1. Returns false if it failed: warming up stops. */
  interface Pass {
    boolean run(int number);
  }

  private WarmUp() {}

  static void run(Pass pass) {
    run(TIME, pass);
  }

  /** Passes until {@code time} has gone by: at least one. */
  static void run(Duration time, Pass pass) {
    long start = System.nanoTime();
    int number = 0;
    do {
      number++;
      if (!pass.run(number)) {
        return;
      }
    } while (System.nanoTime() - start < time.toNanos());
  }
}
