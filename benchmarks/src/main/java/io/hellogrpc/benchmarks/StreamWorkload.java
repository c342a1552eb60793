package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * stream: one session, {@code messages} small messages, a sender thread and a receiver thread,
 * every reply checked in order; client here, server in its own JVM. Each contender is warmed up
 * for {@link WarmUp#TIME} first, then the contenders take turns round by round, so that a noisy
 * minute hurts them alike. Figures: messages/s, and the CPU time both JVMs spent per message
 * (with two cores, the rate follows it). With {@link Telemetry} modes, the library also runs
 * observed through OpenTelemetry in each, as contenders of the same rounds, one row each.
 */
final class StreamWorkload implements Workload {
  static final String NAME = "stream";

  private final long messages;
  private final int rounds;
  private final Path grpcGo; // null: no grpc-go column
  private final List<Telemetry> telemetry;
  private final Set<Implementation> yardsticks;

  StreamWorkload(
      long messages,
      int rounds,
      Path grpcGo,
      List<Telemetry> telemetry,
      Set<Implementation> yardsticks) {
    this.messages = messages;
    this.rounds = rounds;
    this.grpcGo = grpcGo;
    this.telemetry = telemetry;
    this.yardsticks = yardsticks;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, String> failures = new HashMap<>();
    try (ServerProcess server = ServerProcess.start(List.of(), telemetry);
        Contenders contenders = Contenders.connect(server.ports(), yardsticks, grpcGo)) {
      CpuMeter meter = new CpuMeter(List.of(ProcessHandle.current(), server.handle()));
      for (Contender contender : contenders.all()) {
        rates.put(contender.label(), new ArrayList<>());
        cpu.put(contender.label(), new ArrayList<>());
      }
      long pass = Math.max(1, messages / 5);
      for (Contender contender : contenders.all()) {
        WarmUp.run(n -> runOnce(contender, pass, "warm-up " + n, null, failures) != null);
      }
      for (int round = 1; round <= rounds; round++) {
        for (Contender contender : contenders.all()) {
          if (failures.containsKey(contender.label())) {
            continue;
          }
          // grpc-go runs in processes of its own: no CPU figure for it.
          CpuMeter cpuMeter = contender instanceof GrpcGoContender ? null : meter;
          String what = "round " + round + "/" + rounds;
          collectGarbage(server);
          Round result = runOnce(contender, messages, what, cpuMeter, failures);
          if (result != null) {
            rates.get(contender.label()).add(result.rate);
            if (result.cpuMicrosPerMessage >= 0) {
              cpu.get(contender.label()).add(result.cpuMicrosPerMessage);
            }
          }
        }
      }
    }
    Map<String, ResultTable.Cell> rateCells = new HashMap<>();
    Map<String, ResultTable.Cell> cpuCells = new HashMap<>();
    rates.forEach(
        (label, values) -> {
          if (failures.containsKey(label)) {
            rateCells.put(label, ResultTable.Cell.text("FAILED"));
            table.note("stream, " + label + ": " + failures.get(label));
          } else {
            rateCells.put(label, ResultTable.Cell.of(Summary.of(values), ResultTable.Unit.RATE));
          }
        });
    cpu.forEach(
        (label, values) -> {
          if (!values.isEmpty() && !failures.containsKey(label)) {
            cpuCells.put(label, ResultTable.Cell.of(Summary.of(values), ResultTable.Unit.MICROS));
          }
        });
    String figure = "messages/s, " + shortCount(messages) + " messages";
    String cpuFigure = "CPU µs/message, both JVMs";
    table.add(NAME, figure, Telemetry.rowOf(Telemetry.OFF, rateCells), true);
    table.add(NAME, cpuFigure, Telemetry.rowOf(Telemetry.OFF, cpuCells), true);
    for (Telemetry mode : telemetry) {
      table.add(NAME, figure + ", " + mode.label, Telemetry.rowOf(mode, rateCells), true);
    }
    String cost = Telemetry.costNote(NAME, figure, telemetry, rateCells);
    if (cost != null) {
      table.note(cost);
    }
    return !failures.containsKey(Implementation.LIBRARY.label);
  }

  private record Round(double rate, double cpuMicrosPerMessage) {}

  /**
   * Before each round, both JVMs collect what the rounds before left, so that no contender's
   * garbage is collected in another's round. The default yardstick has no flow control and buffers
   * hundreds of MiB a round; without this, the benchmark's JVM (all the clients) held 240, then
   * 460, then 680 MiB after collections in the rounds that followed, and paused for 0.2-1 s in
   * other contenders' rounds (985 ms in one): the library's client CPU per message read 4.7-6.2 µs
   * in such rounds and 1.5-2.4 µs in the others.
   */
  private static void collectGarbage(ServerProcess server) throws IOException, InterruptedException {
    System.gc();
    server.liveHeapAfterGc();
  }

  /** One stream of {@code messages}; null if it failed (recorded in {@code failures}). */
  private static Round runOnce(
      Contender contender, long messages, String what, CpuMeter cpu, Map<String, String> failures) {
    // Generous: the slowest yardstick moves some 35,000 messages/s here.
    Duration timeout = Duration.ofSeconds(60).plusNanos(messages * 200_000);
    try {
      long[] cpuBefore = cpu == null ? null : cpu.nanos();
      Duration elapsed = contender.stream(messages, timeout);
      long[] cpuAfter = cpu == null ? null : cpu.nanos();
      double rate = messages / (elapsed.toNanos() / 1e9);
      double clientCpu = -1;
      double serverCpu = -1;
      if (cpuBefore != null && cpuAfter != null) {
        clientCpu = (cpuAfter[0] - cpuBefore[0]) / 1e3 / messages;
        serverCpu = (cpuAfter[1] - cpuBefore[1]) / 1e3 / messages;
      }
      Log.info(
          String.format(
              Locale.ROOT,
              "stream %s %s: %,.0f messages/s (%.2f s)%s",
              what,
              contender.label(),
              rate,
              elapsed.toNanos() / 1e9,
              clientCpu < 0
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      ", CPU µs/message: client %.2f, server %.2f",
                      clientCpu,
                      serverCpu)));
      double cpuPerMessage = clientCpu < 0 ? -1 : clientCpu + serverCpu;
      return new Round(rate, cpuPerMessage);
    } catch (Exception | OutOfMemoryError e) {
      String why = BenchmarkFailure.describe(e);
      Log.info("stream " + what + " " + contender.label() + " FAILED: " + why);
      failures.put(contender.label(), why);
      return null;
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
