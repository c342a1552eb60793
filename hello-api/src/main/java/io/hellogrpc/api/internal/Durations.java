package io.hellogrpc.api.internal;

import java.time.Duration;

/** Durations as grpc and the JDK take them: in nanoseconds. */
public final class Durations {
  private Durations() {}

  /** {@code duration} in nanoseconds; one too long to count (about 292 years) is as long as any. */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
