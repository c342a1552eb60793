package io.hellogrpc.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lines a child process prints, read on a background thread so that waiting for the next one
 * can time out: a child that hangs must not hang the benchmark.
 */
final class ProcessLines {
  private static final Optional<String> END = Optional.empty();

  private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
  private boolean ended;

  ProcessLines(InputStream output, String threadName) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(Optional.of(line));
                }
              } catch (IOException e) {
                // the process is gone; END says so
              } finally {
                lines.add(END);
              }
            },
            threadName);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The next line, or null once the process closed its output.
   *
   * @throws TimeoutException if no line came within {@code timeout}
   */
  String next(Duration timeout) throws InterruptedException, TimeoutException {
    if (ended) {
      return null;
    }
    Optional<String> line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new TimeoutException("no output for " + timeout.toSeconds() + " s");
    }
    if (line.isEmpty()) {
      ended = true;
      return null;
    }
    return line.get();
  }

  /**
   * Every line until the process closes its output.
   *
   * @throws TimeoutException if it has not within {@code timeout}
   */
  List<String> untilEnd(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> all = new ArrayList<>();
    for (String line = next(timeout); line != null; ) {
      all.add(line);
      line = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    return all;
  }

  /** The lines printed and not yet taken, taken now, without waiting for more. */
  List<String> takeAvailable() {
    List<String> taken = new ArrayList<>();
    Optional<String> line;
    while (!ended && (line = lines.poll()) != null) {
      line.ifPresentOrElse(taken::add, () -> ended = true);
    }
    return taken;
  }
}
