package io.hellogrpc.benchmarks;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the first OutOfMemoryError a JVM of the benchmark met where something else would
 * swallow it (grpc turns an error in a handler into a status), so the run can report "OOM".
 */
final class OutOfMemoryLog {
  private static final AtomicReference<String> FIRST = new AtomicReference<>();

  private OutOfMemoryLog() {}

  static void record(OutOfMemoryError error) {
    FIRST.compareAndSet(null, error.getClass().getSimpleName() + ": " + error.getMessage());
  }

  /** The first one, or null if there was none. */
  static String first() {
    return FIRST.get();
  }

  /** True if {@code failure} or one of its causes is an OutOfMemoryError. */
  static boolean isOutOfMemory(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }
}
