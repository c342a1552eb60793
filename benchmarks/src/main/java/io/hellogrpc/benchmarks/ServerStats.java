package io.hellogrpc.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * What the server JVM measured about itself, as its {@code stats} command prints it.
 *
 * @param threads live threads now
 * @param peakThreads the most live threads since the start or the last reset
 * @param peakHeapBytes the peak live heap ({@link PeakHeap}), -1 if not sampled yet
 * @param outOfMemory whether a handler met an OutOfMemoryError that grpc turned into a status
 * @param jitMillis the JVM's JIT compilation so far ({@link JitTime}), -1 if it does not say
 */
record ServerStats(
    int threads, int peakThreads, long peakHeapBytes, boolean outOfMemory, long jitMillis) {
  String line() {
    return "stats threads=" + threads + " peakThreads=" + peakThreads + " peakHeap=" + peakHeapBytes
        + " outOfMemory=" + outOfMemory + " jitMillis=" + jitMillis;
  }

  static ServerStats parse(String line) {
    if (!line.startsWith("stats ")) {
      throw new IllegalArgumentException("not a stats line: '" + line + "'");
    }
    Map<String, String> values = new HashMap<>();
    for (String pair : line.substring("stats ".length()).split(" ")) {
      String[] nameAndValue = pair.split("=", 2);
      values.put(nameAndValue[0], nameAndValue[1]);
    }
    return new ServerStats(
        Integer.parseInt(values.get("threads")),
        Integer.parseInt(values.get("peakThreads")),
        Long.parseLong(values.get("peakHeap")),
        Boolean.parseBoolean(values.get("outOfMemory")),
        Long.parseLong(values.get("jitMillis")));
  }
}
