package io.hellogrpc.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * CPU time used by a set of processes (this JVM and a server JVM), as the operating system counts
 * it: every thread, the JIT compilers and the garbage collector included. On a machine with two
 * cores the messages a second of a stream are bounded by the CPU each message costs both sides,
 * so this says where a rate comes from when rates are noisy. Linux counts it in ticks of 10 ms: a
 * figure per message means something for rounds of a second or more, not for a quick check.
 */
final class CpuMeter {
  private final List<ProcessHandle> processes;

  CpuMeter(List<ProcessHandle> processes) {
    this.processes = List.copyOf(processes);
  }

  /**
   * Nanoseconds of CPU each process has used so far, in the order given; null if the system does
   * not say for one of them.
   */
  long[] nanos() {
    long[] used = new long[processes.size()];
    for (int i = 0; i < used.length; i++) {
      used[i] = processes.get(i).info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
      if (used[i] < 0) {
        return null;
      }
    }
    return used;
  }
}
