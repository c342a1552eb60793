package io.hellogrpc.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * The slow reader's pace: at most {@code repliesPerSecond}, a fraction of what a producer sends.
 * The reader parks whenever it is more than a millisecond ahead of that schedule, not after every
 * reply: a park for a few microseconds really takes tens of them (and milliseconds on a loaded
 * machine), which would make the pace depend on the machine instead of on this setting.
 */
final class SlowDrain {
  private static final long SLACK_NANOS = 1_000_000;

  private final double nanosPerReply;
  private long start;

  SlowDrain(double repliesPerSecond) {
    this.nanosPerReply = 1e9 / repliesPerSecond;
  }

  /** 50,000 replies/s: a third to a half of what the contenders stream on a small machine. */
  static SlowDrain standard() {
    return new SlowDrain(50_000);
  }

  double repliesPerSecond() {
    return 1e9 / nanosPerReply;
  }

  /** Call after taking reply number {@code count} (1, 2, ...), from the reading thread. */
  void afterReply(long count) {
    long now = System.nanoTime();
    if (count == 1) {
      start = now;
      return;
    }
    long ahead = start + (long) (count * nanosPerReply) - now;
    if (ahead > SLACK_NANOS) {
      LockSupport.parkNanos(ahead);
    }
  }
}
