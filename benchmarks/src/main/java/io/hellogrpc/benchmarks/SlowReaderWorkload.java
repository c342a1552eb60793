package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * slow-reader: a producer sends {@code messages} as fast as it is let while the client reads the
 * replies at a fraction of that pace ({@link SlowDrain}), so the server must not buffer replies the
 * client is not reading, nor the client messages the server is not taking. Figure: the peak live
 * heap of the client and of the server, each measured in its own JVM ({@link PeakHeap}), at two
 * counts, to show whether it grows with the count.
 *
 * <p>Each implementation gets a fresh server JVM and a fresh client JVM, both with a fixed 1 GiB
 * heap: one that runs out of memory is reported as OOM and cannot disturb the others.
 */
final class SlowReaderWorkload implements Workload {
  static final String NAME = "slow-reader";

  static final List<String> JVM_FLAGS =
      List.of(
          "-Xmx1g",
          "-XX:+UseSerialGC", // System.gc() is a whole-heap stop-the-world collection
          "-XX:+ExitOnOutOfMemoryError", // a heap that runs out is a result: exit status 3
          "-D" + BenchmarkServer.HEAP_SAMPLE_PROPERTY + "=500");

  private final long messages;
  private final List<Long> checkpoints;

  SlowReaderWorkload(long messages) {
    this.messages = messages;
    this.checkpoints = List.of(Math.max(1, messages / 5), messages);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** What one implementation did. */
  private static final class Outcome {
    final Map<Long, Long> clientPeak = new TreeMap<>();
    final Map<Long, Long> serverPeak = new TreeMap<>();
    boolean clientOutOfMemory;
    boolean serverOutOfMemory;
    String failure; // null if it ended normally
    long repliesRead;
    Duration elapsed;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    Map<Implementation, Outcome> outcomes = new LinkedHashMap<>();
    for (Implementation implementation : Implementation.values()) {
      Outcome outcome = runOne(implementation);
      outcomes.put(implementation, outcome);
      Log.info(
          "slow-reader " + implementation.label + ": "
              + (outcome.failure == null
                  ? String.format("%d replies in %.1f s", outcome.repliesRead, outcome.elapsed.toNanos() / 1e9)
                  : "FAILED after " + outcome.repliesRead + " replies: " + outcome.failure)
              + ", client peak MiB " + mib(outcome.clientPeak) + ", server peak MiB " + mib(outcome.serverPeak));
    }
    for (Long checkpoint : checkpoints) {
      String at = " @" + StreamWorkload.shortCount(checkpoint);
      table.add(NAME, "client peak heap MiB" + at, heapCells(outcomes, checkpoint, true), true);
      table.add(NAME, "server peak heap MiB" + at, heapCells(outcomes, checkpoint, false), true);
    }
    Map<String, ResultTable.Cell> read = new HashMap<>();
    outcomes.forEach(
        (implementation, outcome) ->
            read.put(
                implementation.label,
                outcome.failure == null
                    ? ResultTable.Cell.of(outcome.elapsed.toNanos() / 1e9, ResultTable.Unit.SECONDS)
                    : ResultTable.Cell.text("read " + StreamWorkload.shortCount(outcome.repliesRead))));
    table.add(
        NAME,
        String.format(
            "seconds, reader paced at %s/s", StreamWorkload.shortCount((long) SlowDrain.standard().repliesPerSecond())),
        read,
        false);
    outcomes.forEach(
        (implementation, outcome) -> {
          if (outcome.failure != null) {
            table.note("slow-reader, " + implementation.label + ": " + outcome.failure);
          }
        });
    return outcomes.get(Implementation.LIBRARY).failure == null;
  }

  private static Map<String, ResultTable.Cell> heapCells(
      Map<Implementation, Outcome> outcomes, long checkpoint, boolean client) {
    Map<String, ResultTable.Cell> cells = new HashMap<>();
    outcomes.forEach(
        (implementation, outcome) -> {
          Long bytes = (client ? outcome.clientPeak : outcome.serverPeak).get(checkpoint);
          boolean outOfMemory = client ? outcome.clientOutOfMemory : outcome.serverOutOfMemory;
          cells.put(
              implementation.label,
              bytes != null
                  ? ResultTable.Cell.of(bytes / 1048576.0, ResultTable.Unit.MIB)
                  : ResultTable.Cell.text(outOfMemory ? "OOM" : "-"));
        });
    return cells;
  }

  private Outcome runOne(Implementation implementation) throws IOException, InterruptedException {
    Outcome outcome = new Outcome();
    Duration timeout = Duration.ofSeconds(60).plusNanos(messages * 60_000);
    Path clientStderr = Files.createTempFile("hello-benchmark-slow-reader", ".log");
    try (ServerProcess server = ServerProcess.start(JVM_FLAGS)) {
      server.resetPeaks();
      Process client =
          ChildProcesses.start(
              ChildProcesses.javaCommand(
                      JVM_FLAGS,
                      SlowReaderClient.class,
                      List.of(
                          implementation.key,
                          Integer.toString(server.ports().of(implementation)),
                          Long.toString(messages),
                          checkpoints.stream().map(String::valueOf).collect(Collectors.joining(","))))
                  .redirectError(clientStderr.toFile()));
      try {
        follow(client, server, outcome, timeout);
      } finally {
        ChildProcesses.stop(client, 5);
      }
      String clientErrors = Files.readString(clientStderr, StandardCharsets.UTF_8);
      if (client.exitValue() == 3 || clientErrors.contains("OutOfMemoryError")) {
        outcome.clientOutOfMemory = true;
      }
      if (server.ranOutOfMemory() || (server.isAlive() && server.stats().outOfMemory())) {
        outcome.serverOutOfMemory = true;
      }
      if (outcome.failure == null && !outcome.clientPeak.containsKey(messages)) {
        outcome.failure = "the client JVM exited (status " + client.exitValue() + ") before the end";
      }
      if (outcome.failure != null && (outcome.clientOutOfMemory || outcome.serverOutOfMemory)) {
        outcome.failure =
            (outcome.serverOutOfMemory ? "server" : "client") + " ran out of memory (OOM): "
                + outcome.failure;
      }
    } finally {
      Files.deleteIfExists(clientStderr);
    }
    return outcome;
  }

  /** Reads the client's lines until it ends, taking the server's peak at each checkpoint. */
  private static void follow(Process client, ServerProcess server, Outcome outcome, Duration timeout)
      throws InterruptedException {
    ProcessLines lines = new ProcessLines(client.getInputStream(), "slow-reader-client-output");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (String line = lines.next(remaining(deadline)); line != null; line = lines.next(remaining(deadline))) {
        String[] words = line.split(" ", 4);
        switch (words[0]) {
          case "checkpoint":
            long count = Long.parseLong(words[1]);
            outcome.repliesRead = count;
            outcome.clientPeak.put(count, Long.parseLong(words[2]));
            try {
              server.liveHeapAfterGc(); // so the peak includes this very moment
              outcome.serverPeak.put(count, server.stats().peakHeapBytes());
            } catch (IOException e) {
              outcome.failure = "the server JVM failed: " + e.getMessage();
            }
            break;
          case "done":
            outcome.elapsed = Duration.ofNanos(Long.parseLong(words[1]));
            break;
          case "failed":
            outcome.repliesRead = Long.parseLong(words[2]);
            if (words[1].equals("oom")) {
              outcome.clientOutOfMemory = true;
            }
            if (outcome.failure == null) {
              outcome.failure = "the client failed: " + (words.length > 3 ? words[3] : "");
            }
            break;
          default:
            Log.info("slow-reader client said: " + line);
        }
      }
    } catch (TimeoutException e) {
      outcome.failure = "timed out after " + timeout.toSeconds() + " s";
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private static String mib(Map<Long, Long> peaks) {
    return peaks.values().stream()
        .map(bytes -> String.format("%.1f", bytes / 1048576.0))
        .collect(Collectors.joining("/", "[", "]"));
  }
}
