package io.hellogrpc.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The client JVM of the slow-reader workload, one per implementation, started by
 * {@link SlowReaderWorkload} with a fixed heap: {@code <implementation> <port> <messages>
 * <checkpoint,checkpoint,...>}. It prints, one per line:
 *
 * <ul>
 *   <li>{@code checkpoint <replies> <peak live heap bytes>} when that many replies were read
 *   <li>{@code done <nanoseconds>} after the normal end
 *   <li>{@code failed <oom|error> <replies read> <why>} otherwise
 * </ul>
 */
public final class SlowReaderClient {
  private SlowReaderClient() {}

  public static void main(String[] args) {
    ChildProcesses.exitWhenStdinCloses();
    PeakHeap heap = PeakHeap.install();
    heap.sampleEvery(Duration.ofMillis(Long.getLong(BenchmarkServer.HEAP_SAMPLE_PROPERTY, 500)));
    Implementation implementation = Implementation.byKey(args[0]);
    int port = Integer.parseInt(args[1]);
    long messages = Long.parseLong(args[2]);
    Set<Long> checkpoints =
        Arrays.stream(args[3].split(",")).map(Long::parseLong).collect(Collectors.toSet());
    AtomicLong read = new AtomicLong();
    long start = System.nanoTime();
    try (Contender contender = implementation.connect(port)) {
      contender.slowReader(
          messages,
          SlowDrain.standard(),
          count -> {
            read.set(count);
            if (checkpoints.contains(count)) {
              heap.sampleNow(); // so the peak includes this very moment
              say("checkpoint " + count + " " + heap.peakBytes());
            }
          });
      say("done " + (System.nanoTime() - start));
    } catch (Throwable t) { // an OutOfMemoryError is a result here, not a crash
      boolean outOfMemory = OutOfMemoryLog.isOutOfMemory(t) || OutOfMemoryLog.first() != null;
      say("failed " + (outOfMemory ? "oom " : "error ") + read.get() + " "
          + BenchmarkFailure.describe(t).replace('\n', ' '));
    }
    System.exit(0);
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
