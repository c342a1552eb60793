package io.hellogrpc.reliability;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Netty's leak reports in this JVM. The detector (paranoid in this module: see its pom) logs
 * "LEAK: ..." through java.util.logging when it finds a buffer that was garbage-collected without
 * being released, during a later allocation; {@link #reports()} forces that moment.
 */
final class NettyLeaks {
  /** grpc-netty-shaded relocates Netty, its loggers and its system properties alike. */
  static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger CANARIES = new AtomicInteger();
  private static final Logger LOGGER = Logger.getLogger(DETECTOR_LOGGER); // held: JUL keeps loggers weakly

  static {
    // Reports reach the test as assertion failures; the canaries below would only be noise.
    LOGGER.setUseParentHandlers(false);
    LOGGER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().contains("LEAK")) {
              REPORTS.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  private NettyLeaks() {}

  /** Starts listening, if not yet; call before the code under test runs. */
  static void install() {
    // the static initializer did it
  }

  static ResourceLeakDetector.Level level() {
    return ResourceLeakDetector.getLevel();
  }

  /**
   * The leak reports since the last call, apart from this method's own canary: it leaks one
   * marked buffer, then collects garbage and allocates until Netty has reported the canary, which
   * proves the detector ran over everything that was unreachable by then.
   */
  static synchronized List<String> newReports() {
    String marker = "reliability-canary-" + CANARIES.incrementAndGet();
    leakOneBuffer(marker);
    long deadline = System.nanoTime() + 30_000_000_000L;
    int roundsAfterCanary = -1;
    while (roundsAfterCanary < 2) { // two more rounds for reports enqueued alongside the canary
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Netty never reported the canary leak: is the detector on?");
      }
      System.gc();
      // At paranoid level each allocation polls the detector's queue of collected buffers.
      PooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
      PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
      if (roundsAfterCanary >= 0 || REPORTS.stream().anyMatch(r -> r.contains(marker))) {
        roundsAfterCanary++;
      }
    }
    List<String> reports = new ArrayList<>(REPORTS);
    REPORTS.removeAll(reports);
    reports.removeIf(report -> report.contains("reliability-canary-"));
    return reports;
  }

  private static void leakOneBuffer(String marker) {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.touch(marker); // the hint shows in the report and makes it unlike any other
    leaked.writeLong(42);
  }
}
