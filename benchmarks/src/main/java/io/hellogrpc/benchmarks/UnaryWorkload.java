package io.hellogrpc.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * unary: sequential {@code Hello} calls, the library's {@code HelloClient.hello()} beside a plain
 * blocking stub on a default channel and on a directExecutor channel (against the default and the
 * tuned server). Rounds alternate after each is warmed up ({@link WarmUp}). Figures: p50 and p99
 * latency, calls/s.
 * With {@link Telemetry} modes, the library also runs observed through OpenTelemetry in each, as
 * contenders of the same rounds, with rows of their own.
 */
final class UnaryWorkload implements Workload {
  static final String NAME = "unary";

  private final int calls;
  private final int rounds;
  private final List<Telemetry> telemetry;
  private final Set<Implementation> yardsticks;

  UnaryWorkload(
      int calls, int rounds, List<Telemetry> telemetry, Set<Implementation> yardsticks) {
    this.calls = calls;
    this.rounds = rounds;
    this.telemetry = telemetry;
    this.yardsticks = yardsticks;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    Map<String, List<Double>> p50 = new LinkedHashMap<>();
    Map<String, List<Double>> p99 = new LinkedHashMap<>();
    Map<String, List<Double>> rate = new LinkedHashMap<>();
    Map<String, String> failures = new HashMap<>();
    try (ServerProcess server = ServerProcess.start(List.of(), telemetry);
        Contenders contenders = Contenders.connect(server.ports(), yardsticks, null)) {
      for (Contender contender : contenders.all()) {
        p50.put(contender.label(), new ArrayList<>());
        p99.put(contender.label(), new ArrayList<>());
        rate.put(contender.label(), new ArrayList<>());
      }
      int pass = Math.max(1, calls / 4);
      for (Contender contender : contenders.all()) {
        WarmUp.run(n -> measure(contender, pass, "warm-up " + n, failures) != null);
      }
      for (int round = 1; round <= rounds; round++) {
        for (Contender contender : contenders.all()) {
          if (failures.containsKey(contender.label())) {
            continue;
          }
          Latencies latencies = measure(contender, calls, "round " + round + "/" + rounds, failures);
          if (latencies != null) {
            p50.get(contender.label()).add(latencies.percentileMicros(50));
            p99.get(contender.label()).add(latencies.percentileMicros(99));
            rate.get(contender.label()).add(latencies.callsPerSecond());
          }
        }
      }
    }
    String perRound = ", " + StreamWorkload.shortCount(calls) + " calls";
    addRow(table, "p50 latency us" + perRound, p50, ResultTable.Unit.MICROS, failures);
    addRow(table, "p99 latency us" + perRound, p99, ResultTable.Unit.MICROS, failures);
    addRow(table, "calls/s" + perRound, rate, ResultTable.Unit.RATE, failures);
    failures.forEach((label, why) -> table.note("unary, " + label + ": " + why));
    return !failures.containsKey(Implementation.LIBRARY.label);
  }

  private static Latencies measure(
      Contender contender, int calls, String what, Map<String, String> failures) {
    try {
      Latencies latencies = Latencies.measure(contender::hello, calls);
      Log.info(
          String.format(
              "unary %s %s: p50 %.1f us, p99 %.1f us, %,.0f calls/s",
              what,
              contender.label(),
              latencies.percentileMicros(50),
              latencies.percentileMicros(99),
              latencies.callsPerSecond()));
      return latencies;
    } catch (RuntimeException e) {
      String why = BenchmarkFailure.describe(e);
      Log.info("unary " + what + " " + contender.label() + " FAILED: " + why);
      failures.put(contender.label(), why);
      return null;
    }
  }

  private void addRow(
      ResultTable table,
      String figure,
      Map<String, List<Double>> values,
      ResultTable.Unit unit,
      Map<String, String> failures) {
    Map<String, ResultTable.Cell> cells = new HashMap<>();
    values.forEach(
        (label, list) ->
            cells.put(
                label,
                failures.containsKey(label) || list.isEmpty()
                    ? ResultTable.Cell.text("FAILED")
                    : ResultTable.Cell.of(Summary.of(list), unit)));
    table.add(NAME, figure, Telemetry.rowOf(Telemetry.OFF, cells), true);
    for (Telemetry mode : telemetry) {
      table.add(NAME, figure + ", " + mode.label, Telemetry.rowOf(mode, cells), true);
    }
    String cost = Telemetry.costNote(NAME, figure, telemetry, cells);
    if (cost != null) {
      table.note(cost);
    }
  }
}
