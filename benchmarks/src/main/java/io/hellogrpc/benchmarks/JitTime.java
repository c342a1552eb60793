package io.hellogrpc.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** How long this JVM's JIT compilers have worked so far, to tell a warm JVM from one warming up. */
final class JitTime {
  private JitTime() {}

  /** Milliseconds of JIT compilation since the JVM started, or -1 where the JVM does not say. */
  static long millis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }
}
