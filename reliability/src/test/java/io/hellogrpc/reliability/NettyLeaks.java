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
 * being released, during a later allocation; {@link #newReports()} forces that moment.
 */
final class NettyLeaks {
  /** grpc-netty-shaded relocates Netty, its loggers and its system properties alike. */
  static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

  /**
   * The JVM flags this module runs with (its pom's surefire argLine) and gives to server JVMs it
   * starts: every buffer tracked (paranoid), and no stack trace recorded on each access
   * (targetRecords 0), which costs the load test three quarters of its time and changes only how
   * much a report says about where the buffer went, not whether the leak is found.
   */
  static final List<String> JVM_FLAGS =
      List.of(
          "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=paranoid",
          "-Dio.grpc.netty.shaded.io.netty.leakDetection.targetRecords=0");

  private static final String CANARY_FRAME = NettyLeaks.class.getName() + ".leakAtDepth";
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
   * buffer, then collects garbage and allocates until Netty has reported the canary, which proves
   * the detector ran over everything that was unreachable by then.
   */
  static synchronized List<String> newReports() {
    leakAtDepth(CANARIES.incrementAndGet());
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
      if (roundsAfterCanary >= 0 || REPORTS.stream().anyMatch(NettyLeaks::isCanary)) {
        roundsAfterCanary++;
      }
    }
    List<String> reports = new ArrayList<>(REPORTS);
    REPORTS.removeAll(reports);
    reports.removeIf(NettyLeaks::isCanary);
    return reports;
  }

  private static boolean isCanary(String report) {
    return report.contains(CANARY_FRAME);
  }

  /**
   * Leaks a buffer allocated {@code depth} frames down: Netty reports each distinct trace once, so
   * every canary needs a stack unlike the others'. (Access records, which could carry a hint
   * instead, are off in this module: see its pom.)
   */
  private static void leakAtDepth(int depth) {
    if (depth > 0) {
      leakAtDepth(depth - 1);
      return;
    }
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42); // and never released
  }
}
