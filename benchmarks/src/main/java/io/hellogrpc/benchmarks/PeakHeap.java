package io.hellogrpc.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak live heap of this JVM: the most heap still in use right after a whole-heap collection,
 * over the run so far.
 *
 * <p>Only whole-heap ("major") collections count, because the heap in use after a young
 * collection still holds whatever garbage was promoted to the old generation; counting it would
 * make a bounded program look as if it grew. Whole-heap collections come from the JVM when the
 * heap fills, from {@link #sampleNow()}, and from {@link #sampleEvery} in the JVMs whose heap is
 * the figure of a workload.
 */
final class PeakHeap {
  private final AtomicLong peak = new AtomicLong(-1);
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());

  private PeakHeap() {}

  /** Starts listening to this JVM's collections. */
  static PeakHeap install() {
    PeakHeap heap = new PeakHeap();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter) {
        ((NotificationEmitter) collector)
            .addNotificationListener(
                (notification, handback) -> {
                  if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    heap.onCollection(
                        GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData()));
                  }
                },
                null,
                null);
      }
    }
    return heap;
  }

  private void onCollection(GarbageCollectionNotificationInfo info) {
    if (!info.getGcAction().contains("major")) {
      return;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    record(used);
  }

  /** Collects the whole heap now and returns what is live; it counts towards the peak. */
  long sampleNow() {
    System.gc(); // a whole-heap, stop-the-world collection with the collectors used here
    // What each pool held right after its last collection: the heap "used" now would also count
    // what other threads allocated since, which is garbage-to-be.
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    record(live);
    return live;
  }

  /** Collects the whole heap every {@code interval}, so the peak is sampled densely. */
  void sampleEvery(Duration interval) {
    Thread sampler =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(interval.toMillis());
                  sampleNow();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "peak-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** The peak since the start or the last {@link #reset()}, in bytes; -1 before any sample. */
  long peakBytes() {
    return peak.get();
  }

  void reset() {
    peak.set(-1);
  }

  private void record(long used) {
    peak.accumulateAndGet(used, Math::max);
  }
}
