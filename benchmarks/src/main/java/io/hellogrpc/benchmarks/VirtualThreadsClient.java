package io.hellogrpc.benchmarks;

import java.time.Duration;

/**
 * The client JVM of the virtual-threads workload, a fresh one per implementation, started by
 * {@link VirtualThreadsWorkload}: {@code <implementation> <sessions> <messages per session>
 * <warm-up milliseconds>}. It runs that implementation's sessions (and starts their server JVM)
 * and prints the {@link VirtualThreadsWorkload.Outcome}, a line per figure.
 *
 * <p>Why a JVM of its own: code that one contender's run compiled is compiled for the next, and
 * 100,000 sessions go through paths a warm-up of a thousand does not make hot (the garbage
 * collector's and the JIT's work grow with the sessions too). In one JVM, whichever contender ran
 * first paid for the others: 1.6x tuned grpc's time to open running first, 0.86x in fresh JVMs.
 */
public final class VirtualThreadsClient {
  private VirtualThreadsClient() {}

  public static void main(String[] args) {
    ChildProcesses.exitWhenStdinCloses();
    Implementation implementation = Implementation.byKey(args[0]);
    VirtualThreadsWorkload workload =
        new VirtualThreadsWorkload(
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            Duration.ofMillis(Long.parseLong(args[3])));
    for (String line : workload.runOne(implementation).toLines()) {
      System.out.println(line);
    }
    System.out.flush();
    System.exit(0);
  }
}
