package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One launch of a program from cold, timed from the launch: when it printed the first {@code Hello}
 * reply (a line with {@code From Server:}), everything it printed (stdout and stderr), and how it
 * exited.
 */
final class ColdRun {
  static final String HELLO_REPLY = "From Server:";

  /**
   * @param millisToHello from the launch to the {@code From Server:} line; NaN if there was none
   * @param exitCode -1 if it had to be killed
   */
  record Result(double millisToHello, List<String> lines, int exitCode) {
    boolean ok() {
      return exitCode == 0 && !Double.isNaN(millisToHello);
    }

    /** The last lines, to say why a run failed. */
    String tail() {
      return lastLines(lines, 5);
    }
  }

  private ColdRun() {}

  /** The last {@code count} of {@code lines} on one line, for a failure's note. */
  static String lastLines(List<String> lines, int count) {
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /** Launches {@code command}, reads all it prints, waits for its exit (at most {@code timeout}). */
  static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long start = System.nanoTime();
    Process process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true));
    process.getOutputStream().close(); // nothing to say to it
    ProcessLines output = new ProcessLines(process.getInputStream(), "cold-run-output");
    List<String> lines = new ArrayList<>();
    double millisToHello = Double.NaN;
    try {
      for (String line = output.next(remaining(deadline)); line != null; line = output.next(remaining(deadline))) {
        if (Double.isNaN(millisToHello) && line.contains(HELLO_REPLY)) {
          millisToHello = (System.nanoTime() - start) / 1e6;
        }
        lines.add(line);
      }
    } catch (TimeoutException e) {
      lines.add("(timed out after " + timeout.toSeconds() + " s)");
    }
    if (!process.waitFor(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS)) {
      ChildProcesses.stop(process, 0);
      return new Result(millisToHello, lines, -1);
    }
    return new Result(millisToHello, lines, process.exitValue());
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }
}
