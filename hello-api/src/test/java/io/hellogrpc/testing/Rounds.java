package io.hellogrpc.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a racy scenario many times, each round with a deadline, so that an interleaving that hangs
 * is found by repetition and reported with evidence: when a round overruns, the failure carries
 * the deadlocked threads, if the JVM finds any, and the stack of every live thread.
 */
public final class Rounds {
  /** One round of the scenario; {@code round} counts from 0. */
  @FunctionalInterface
  public interface Round {
    void run(int round) throws Exception;
  }

  private Rounds() {}

  /**
   * Runs {@code rounds} rounds one after another, each on a fresh daemon thread that must finish
   * within {@code perRound}.
   */
  public static void run(String what, int rounds, Duration perRound, Round body)
      throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      int round = i;
      FutureTask<Void> task =
          new FutureTask<>(
              () -> {
                body.run(round);
                return null;
              });
      Thread thread = new Thread(task, what + "-round-" + round);
      thread.setDaemon(true); // a hung round must not keep the test JVM alive
      thread.start();
      try {
        task.get(perRound.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException hung) {
        throw new AssertionError(
            what + ": round " + round + " of " + rounds + " did not finish within " + perRound
                + "\n" + threadReport());
      } catch (ExecutionException failed) {
        Throwable cause = failed.getCause();
        throw new AssertionError(
            what + ": round " + round + " of " + rounds + " failed: " + cause
                + (cause instanceof TimeoutException ? "\n" + threadReport() : ""),
            cause);
      }
    }
  }

  /** Deadlocked threads first, if any, then every thread's stack, with the locks they hold. */
  public static String threadReport() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StringBuilder report = new StringBuilder();
    long[] deadlocked = threads.findDeadlockedThreads();
    if (deadlocked != null) {
      report.append("DEADLOCKED threads: ").append(deadlocked.length).append('\n');
      for (ThreadInfo info : threads.getThreadInfo(deadlocked, true, true)) {
        report.append(fullStack(info));
      }
    }
    report.append("All threads:\n");
    for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
      report.append(fullStack(info));
    }
    return report.toString();
  }

  /** ThreadInfo.toString() stops after eight frames; a hang needs the whole stack. */
  private static String fullStack(ThreadInfo info) {
    StringBuilder out = new StringBuilder();
    out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
    if (info.getLockName() != null) {
      out.append(" on ").append(info.getLockName());
    }
    if (info.getLockOwnerName() != null) {
      out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
    }
    out.append('\n');
    for (StackTraceElement frame : info.getStackTrace()) {
      out.append("\tat ").append(frame).append('\n');
    }
    for (var lock : info.getLockedSynchronizers()) {
      out.append("\t- holds ").append(lock).append('\n');
    }
    return out.append('\n').toString();
  }
}
