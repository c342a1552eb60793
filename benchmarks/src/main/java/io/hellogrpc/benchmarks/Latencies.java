package io.hellogrpc.benchmarks;

import java.util.Arrays;

/** The durations of sequential calls, for percentiles and the call rate. */
final class Latencies {
  private final long[] nanos;
  private int count;
  private long totalNanos;

  private Latencies(int capacity) {
    this.nanos = new long[capacity];
  }

  /** A named call to time; returns the reply. */
  @FunctionalInterface
  interface Call {
    String call(String name);
  }

  /**
   * Makes {@code calls} sequential calls of {@code hello}, each with its own name, timing each and
   * checking each reply is {@code "hello:" + name}.
   */
  static Latencies measure(Call hello, int calls) {
    Latencies latencies = new Latencies(calls);
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      String name = Messages.text(i);
      long before = System.nanoTime();
      String reply = hello.call(name);
      latencies.nanos[latencies.count++] = System.nanoTime() - before;
      if (!reply.equals(Messages.expectedReply(i))) {
        throw new BenchmarkFailure("Hello(" + name + ") answered '" + reply + "'");
      }
    }
    latencies.totalNanos = System.nanoTime() - start;
    Arrays.sort(latencies.nanos, 0, latencies.count);
    return latencies;
  }

  /** The {@code p}-th percentile (0 to 100), in microseconds. */
  double percentileMicros(double p) {
    int index = (int) Math.ceil(p / 100 * count) - 1;
    return nanos[Math.max(0, Math.min(count - 1, index))] / 1_000.0;
  }

  double callsPerSecond() {
    return count / (totalNanos / 1e9);
  }
}
