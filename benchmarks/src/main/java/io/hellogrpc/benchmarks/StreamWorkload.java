package io.hellogrpc.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stream: one session, {@code messages} small messages, a sender thread and a receiver thread,
 * every reply checked in order; client here, server in its own JVM. The contenders take turns
 * round by round after a warm-up of each, so that a noisy minute hurts them alike. Figure:
 * messages/s. With {@link Telemetry} modes, the library also runs observed through OpenTelemetry
 * in each, as contenders of the same rounds, one row each.
 */
final class StreamWorkload implements Workload {
  static final String NAME = "stream";

  private final long messages;
  private final int rounds;
  private final Path grpcGo; // null: no grpc-go column
  private final List<Telemetry> telemetry;

  StreamWorkload(long messages, int rounds, Path grpcGo, List<Telemetry> telemetry) {
    this.messages = messages;
    this.rounds = rounds;
    this.grpcGo = grpcGo;
    this.telemetry = telemetry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, String> failures = new HashMap<>();
    try (ServerProcess server = ServerProcess.start(List.of(), telemetry);
        Contenders contenders = Contenders.connect(server.ports(), grpcGo)) {
      for (Contender contender : contenders.all()) {
        rates.put(contender.label(), new ArrayList<>());
      }
      long warmUp = Math.max(1, messages / 5);
      for (Contender contender : contenders.all()) {
        runOnce(contender, warmUp, "warm-up", null, failures);
      }
      for (int round = 1; round <= rounds; round++) {
        for (Contender contender : contenders.all()) {
          if (!failures.containsKey(contender.label())) {
            runOnce(contender, messages, "round " + round + "/" + rounds, rates, failures);
          }
        }
      }
    }
    Map<String, ResultTable.Cell> cells = new HashMap<>();
    rates.forEach(
        (label, values) -> {
          if (failures.containsKey(label)) {
            cells.put(label, ResultTable.Cell.text("FAILED"));
            table.note("stream, " + label + ": " + failures.get(label));
          } else {
            cells.put(label, ResultTable.Cell.of(Summary.of(values), ResultTable.Unit.RATE));
          }
        });
    String figure = "messages/s, " + shortCount(messages) + " messages";
    table.add(NAME, figure, Telemetry.rowOf(Telemetry.OFF, cells), true);
    for (Telemetry mode : telemetry) {
      table.add(NAME, figure + ", " + mode.label, Telemetry.rowOf(mode, cells), true);
    }
    String cost = Telemetry.costNote(NAME, figure, telemetry, cells);
    if (cost != null) {
      table.note(cost);
    }
    return !failures.containsKey(Implementation.LIBRARY.label);
  }

  private static void runOnce(
      Contender contender,
      long messages,
      String what,
      Map<String, List<Double>> rates,
      Map<String, String> failures) {
    // Generous: the slowest yardstick moves some 35,000 messages/s here.
    Duration timeout = Duration.ofSeconds(60).plusNanos(messages * 200_000);
    try {
      Duration elapsed = contender.stream(messages, timeout);
      double rate = messages / (elapsed.toNanos() / 1e9);
      Log.info(
          String.format(
              "stream %s %s: %,.0f messages/s (%.2f s)",
              what, contender.label(), rate, elapsed.toNanos() / 1e9));
      if (rates != null) {
        rates.get(contender.label()).add(rate);
      }
    } catch (Exception | OutOfMemoryError e) {
      String why = BenchmarkFailure.describe(e);
      Log.info("stream " + what + " " + contender.label() + " FAILED: " + why);
      failures.put(contender.label(), why);
    }
  }

  /** 1000000 as "1M", 200000 as "200k". */
  static String shortCount(long count) {
    if (count >= 1_000_000 && count % 1_000_000 == 0) {
      return count / 1_000_000 + "M";
    }
    if (count >= 1_000 && count % 1_000 == 0) {
      return count / 1_000 + "k";
    }
    return Long.toString(count);
  }
}
