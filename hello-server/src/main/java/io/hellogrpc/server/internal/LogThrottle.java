package io.hellogrpc.server.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs one record per period at the level asked, and the rest of that period at FINE, saying how
 * many it held back: what a client can make happen over and over must not flood the host's logs.
 */
final class LogThrottle {
  private final long periodNanos;
  private final AtomicLong nextLoud = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong heldBack = new AtomicLong();

  LogThrottle(Duration period) {
    this.periodNanos = period.toNanos();
  }

  void log(Logger logger, Level level, String message) {
    long now = System.nanoTime();
    long next = nextLoud.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextLoud.compareAndSet(next, now + periodNanos)) {
      long held = heldBack.getAndSet(0);
      logger.log(
          level,
          held == 0
              ? message
              : message + " (and " + held + " more like it in the last " + Duration.ofNanos(periodNanos)
                  + ", logged at FINE)");
    } else {
      heldBack.incrementAndGet();
      logger.log(Level.FINE, message);
    }
  }
}
