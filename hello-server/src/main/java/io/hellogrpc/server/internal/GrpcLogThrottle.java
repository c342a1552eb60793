package io.hellogrpc.server.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what grpc's server transport logs about each hostile connection from flooding the host's
 * log. A client that makes each stream a protocol error and reconnects after every GOAWAY made
 * grpc log one WARNING with a stack trace per stream: 9,204 in 4.2 s. Per logger and message,
 * {@link #PER_MINUTE} records a minute pass at their level, the first of each minute saying how
 * many like it were held back in the one before; the others are logged at FINE, for whoever turns
 * that on.
 *
 * <p>A filter on grpc's own loggers, installed once per JVM when the first TCP server starts; it
 * keeps a filter the application set there and asks it first. It affects every grpc server in
 * the JVM, which is the point: the flood is the same whoever serves.
 */
final class GrpcLogThrottle implements Filter {
  /** Records per logger and message that pass each minute: a few are news, thousands a flood. */
  static final int PER_MINUTE = 10;

  /** grpc's server transport: stream and connection errors, per stream or per connection. */
  static final List<String> LOGGERS =
      List.of(
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport",
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections",
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  private static final AtomicBoolean installed = new AtomicBoolean();
  private static final List<Logger> held = new CopyOnWriteArrayList<>();

  private final long periodNanos;
  private final Filter previous;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  GrpcLogThrottle(Duration period, Filter previous) {
    this.periodNanos = period.toNanos();
    this.previous = previous;
  }

  /** Installs the throttle on grpc's server transport loggers, once per JVM. */
  static void install() {
    if (!installed.compareAndSet(false, true)) {
      return;
    }
    for (String name : LOGGERS) {
      Logger logger = Logger.getLogger(name);
      held.add(logger); // the LogManager holds loggers weakly: a collected one would lose its filter
      logger.setFilter(new GrpcLogThrottle(Duration.ofMinutes(1), logger.getFilter()));
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (previous != null && !previous.isLoggable(record)) {
      return false;
    }
    if (record.getLevel().intValue() < Level.INFO.intValue()) {
      return true; // detail someone asked for, held-back records included
    }
    Window window =
        windows.computeIfAbsent(
            record.getLoggerName() + '\u0000' + record.getMessage(), key -> new Window());
    long heldBack = window.pass(System.nanoTime(), periodNanos);
    if (heldBack < 0) {
      Logger.getLogger(record.getLoggerName())
          .log(
              Level.FINE,
              "[held back: " + PER_MINUTE + " like it were logged this minute] "
                  + record.getMessage(),
              record.getThrown());
      return false;
    }
    if (heldBack > 0) {
      record.setMessage(
          record.getMessage() + " (and " + heldBack + " more like it were held back in the minute"
              + " before, logged at FINE: a client causing this over and over is likely hostile)");
    }
    return true;
  }

  /** {@link #PER_MINUTE} records per period; counts the others. */
  private static final class Window {
    private long start = Long.MIN_VALUE;
    private int passed;
    private long heldBack;

    /**
     * @return -1 to hold this one back, else how many were held back in the period before, for
     *     the first record of a period, and 0 for the others that pass
     */
    synchronized long pass(long now, long periodNanos) {
      if (start == Long.MIN_VALUE || now - start >= periodNanos) {
        start = now;
        passed = 1;
        long before = heldBack;
        heldBack = 0;
        return before;
      }
      if (passed < PER_MINUTE) {
        passed++;
        return 0;
      }
      heldBack++;
      return -1;
    }
  }
}
