package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * many-sessions: {@code sessions} concurrent sessions on one server JVM with a 512 MiB heap, each
 * exchanging {@code messagesPerSession} messages, driven by callbacks so the client needs no
 * thread per session. In two halves: every session sends its first message and gets its reply,
 * so all are open at once; a separate client times 10,000 {@code Hello} calls then, and the server's
 * threads and live heap are read; then every session sends the rest and completes.
 *
 * <p>Each implementation gets a server JVM and a client JVM of its own ({@link ClientJvm}), where
 * it first runs {@link #WARM_UP_PASSES} passes of as many sessions (up to
 * {@link #WARM_UP_SESSIONS}), unmeasured, against the same server. With the clients in one JVM,
 * warm-up passes and all, whichever ran first paid for compiling the grpc and Netty client code
 * they all use: the library opened its sessions in 1.6x tuned grpc's time running first, 0.8x
 * running last. With a fresh server JVM for the
 * measured pass, its burst was the server's first and was measured while the server compiled its
 * session path, a longer one for the library (budget, tracers): a hello() meanwhile read 1.3-2.3x
 * tuned's median, about 1.0x against the warmed server.
 *
 * <p>The contenders take turns for {@code rounds} rounds, each round a fresh pair of JVMs per
 * contender, and each figure is the median over the rounds. Run once each, the same build read a
 * busy hello() median of 0.96x tuned's in one run and 3.4x in the next, and 10,000 sessions
 * opened in 0.36 s to 0.80 s in four runs of the library alone: this machine's noise, which one
 * pass per contender reported as the contenders' difference.
 */
final class ManySessionsWorkload implements Workload {
  static final String NAME = "many-sessions";
  static final List<String> JVM_FLAGS = List.of("-Xmx512m");

  private static final Duration HALF_TIMEOUT = Duration.ofSeconds(180);
  private static final int PROBE_CALLS = 2_000;
  // With all sessions open: 2,000 calls (under a second) right after the opening burst measured
  // its aftermath, a few dozen slow calls in the first thousands for every contender alike, and
  // their p99 swung from 0.35x to 4x tuned's from run to run. Over 10,000 calls (2 to 3 s) those
  // weigh what they are, and the p99 is the tail of a server holding 10,000 sessions.
  private static final int PROBE_BUSY_CALLS = 10_000;

  // As many as measured by default: after a pass of 2,000, the measured burst of 10,000 was still
  // compiling code, and every contender's hello p99 read 2.4-3.9 ms instead of 0.6-0.8 ms.
  private static final int WARM_UP_SESSIONS = 10_000;

  // Passes of as many sessions before the measured one, each logging how long both JVMs' JIT
  // compilers worked in it. One was not enough: in a CPU profile of the library's measured pass,
  // the server's compilers took 6,233 of its 17,539 samples during the hello() probe with the
  // sessions open (tuned grpc's: 143 of 7,585), and the probe's median read 1.33x tuned's over
  // three rounds. The library's session path is longer (budget, tracers, registry), and more of it
  // reaches C2's thresholds in later bursts: its server compiled for 16.2, 7.1, 0.8 and 0.6 s in
  // four passes, tuned's for 12.5, 3.6, 0.2 and 0.9 s. After three, both are at that floor.
  private static final int WARM_UP_PASSES = 3;

  private final int sessions;
  private final int messagesPerSession;
  private final int rounds;

  ManySessionsWorkload(int sessions, int messagesPerSession, int rounds) {
    this.sessions = sessions;
    this.messagesPerSession = messagesPerSession;
    this.rounds = rounds;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** What one implementation did. */
  static final class Outcome {
    // NaN: not measured, because the run failed before
    double completed = Double.NaN;
    double serverThreadsBefore = Double.NaN;
    double serverThreadsOpen = Double.NaN;
    double serverThreadsPeak = Double.NaN;
    double clientThreadsAdded = Double.NaN;
    double heapPerSessionKib = Double.NaN;
    double helloIdleP50 = Double.NaN;
    double helloBusyP50 = Double.NaN;
    double helloBusyP99 = Double.NaN;
    double secondsToOpen = Double.NaN;
    double secondsToFinish = Double.NaN;
    String failure;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    Implementation[] contenders = Implementation.values();
    Map<Implementation, List<Outcome>> outcomes = new LinkedHashMap<>();
    for (Implementation implementation : contenders) {
      outcomes.put(implementation, new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      // Each round starts with the next contender, so none is always first or last.
      for (int turn = 0; turn < contenders.length; turn++) {
        Implementation implementation = contenders[(round + turn) % contenders.length];
        Outcome outcome = runInOwnJvm(implementation);
        outcomes.get(implementation).add(outcome);
        Log.info(
            String.format(
                "many-sessions %s, round %d of %d: %.0f of %d completed (%.2f s to open, %.2f s to"
                    + " finish); server threads %.0f before, %.0f open, %.0f peak; %.2f KiB/session;"
                    + " hello p50 %.1f us idle, %.1f us with sessions open, p99 %.1f us%s",
                implementation.label, round + 1, rounds, outcome.completed, sessions,
                outcome.secondsToOpen, outcome.secondsToFinish,
                outcome.serverThreadsBefore, outcome.serverThreadsOpen, outcome.serverThreadsPeak,
                outcome.heapPerSessionKib, outcome.helloIdleP50, outcome.helloBusyP50,
                outcome.helloBusyP99, outcome.failure == null ? "" : "; FAILED: " + outcome.failure));
      }
    }
    row(table, outcomes, "sessions completed of " + sessions, o -> o.completed, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "server threads before", o -> o.serverThreadsBefore, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "server threads, all open", o -> o.serverThreadsOpen, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "server threads peak", o -> o.serverThreadsPeak, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "server heap KiB/session", o -> o.heapPerSessionKib, ResultTable.Unit.KIB, true);
    row(table, outcomes, "client threads added", o -> o.clientThreadsAdded, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "hello p50 us, idle", o -> o.helloIdleP50, ResultTable.Unit.MICROS, true);
    row(table, outcomes, "hello p50 us, all open", o -> o.helloBusyP50, ResultTable.Unit.MICROS, true);
    row(table, outcomes, "hello p99 us, all open", o -> o.helloBusyP99, ResultTable.Unit.MICROS, true);
    row(table, outcomes, "seconds to open all", o -> o.secondsToOpen, ResultTable.Unit.SECONDS, true);
    row(table, outcomes, "seconds to finish all", o -> o.secondsToFinish, ResultTable.Unit.SECONDS, true);
    boolean libraryFailed = false;
    for (Map.Entry<Implementation, List<Outcome>> contender : outcomes.entrySet()) {
      List<Outcome> passes = contender.getValue();
      for (int round = 0; round < passes.size(); round++) {
        String failure = passes.get(round).failure;
        if (failure != null) {
          table.note(
              "many-sessions, " + contender.getKey().label + ", round " + (round + 1) + ": " + failure);
          libraryFailed |= contender.getKey() == Implementation.LIBRARY;
        }
      }
    }
    return !libraryFailed;
  }

  private interface Figure {
    double of(Outcome outcome);
  }

  /** A figure's median (min-max) over the rounds that measured it; "-" if none did. */
  private static void row(
      ResultTable table,
      Map<Implementation, List<Outcome>> outcomes,
      String figure,
      Figure value,
      ResultTable.Unit unit,
      boolean ratios) {
    Map<String, ResultTable.Cell> cells = new HashMap<>();
    outcomes.forEach(
        (implementation, passes) -> {
          List<Double> numbers = new ArrayList<>();
          for (Outcome outcome : passes) {
            double number = value.of(outcome);
            if (!Double.isNaN(number)) {
              numbers.add(number);
            }
          }
          cells.put(
              implementation.label,
              numbers.isEmpty()
                  ? ResultTable.Cell.text("-")
                  : ResultTable.Cell.of(Summary.of(numbers), unit));
        });
    table.add(NAME, figure, cells, ratios);
  }

  /** The contender's warm-up and measured runs in a client JVM of its own ({@link ClientJvm}). */
  private Outcome runInOwnJvm(Implementation implementation) throws InterruptedException {
    List<String> args =
        List.of(NAME, implementation.key, Integer.toString(sessions), Integer.toString(messagesPerSession));
    // Each pass, warm-up or measured, has two halves.
    Duration timeout = HALF_TIMEOUT.multipliedBy(2L * (WARM_UP_PASSES + 1));
    return FieldLines.read(ClientJvm.run(args, timeout), new Outcome());
  }

  /** In the client JVM: {@link #WARM_UP_PASSES} passes unmeasured, then the measured one. */
  Outcome warmUpAndRun(Implementation implementation) {
    try (ServerProcess server = ServerProcess.start(JVM_FLAGS)) {
      for (int pass = 1; pass <= WARM_UP_PASSES; pass++) {
        JitWork jit = JitWork.from(server);
        Outcome warmUp = runOne(server, implementation, Math.min(sessions, WARM_UP_SESSIONS));
        String label = "many-sessions warm-up " + implementation.label + ", pass " + pass + ": ";
        if (warmUp.failure != null) {
          Log.info(label + "FAILED: " + warmUp.failure);
          break; // the measured pass will say why
        }
        Log.info(label + "done; " + jit.since());
      }
      JitWork jit = JitWork.from(server);
      Outcome measured = runOne(server, implementation, sessions);
      if (measured.failure == null) {
        Log.info("many-sessions " + implementation.label + ", measured pass: " + jit.since());
      }
      return measured;
    } catch (Exception e) {
      Outcome outcome = new Outcome();
      outcome.failure = BenchmarkFailure.describe(e);
      return outcome;
    }
  }

  /** Where both JVMs' JIT compilers stood at a pass's start ({@link JitTime}). */
  private record JitWork(ServerProcess server, long serverMillis, long clientMillis) {
    static JitWork from(ServerProcess server) throws IOException, InterruptedException {
      return new JitWork(server, server.stats().jitMillis(), JitTime.millis());
    }

    /** How long each compiled since, as the log says it. */
    String since() throws IOException, InterruptedException {
      return "JIT compiled for " + (server.stats().jitMillis() - serverMillis) + " ms in the server, "
          + (JitTime.millis() - clientMillis) + " ms in the client";
    }
  }

  private Outcome runOne(ServerProcess server, Implementation implementation, int sessions) {
    Outcome outcome = new Outcome();
    ThreadMXBean clientThreads = ManagementFactory.getThreadMXBean();
    try {
      int port = server.ports().of(implementation);
      try (Contender probe = implementation.connect(port);
          Contender client = implementation.connect(port)) {
        // Passes for WarmUp.TIME, as stream and unary warm up: after a fixed 20,000 calls the
        // library's longer path was still being compiled, and its idle p50 read 1.4-1.7x tuned's
        // here against 1.1x in unary.
        WarmUp.run(
            pass -> {
              Latencies.measure(probe::hello, PROBE_CALLS);
              return true;
            });
        outcome.helloIdleP50 = Latencies.measure(probe::hello, PROBE_CALLS).percentileMicros(50);

        server.resetPeaks();
        outcome.serverThreadsBefore = server.stats().threads();
        long heapBefore = server.liveHeapAfterGc();
        int clientThreadsBefore = clientThreads.getThreadCount();
        clientThreads.resetPeakThreadCount();

        SessionTally tally = new SessionTally(sessions, messagesPerSession);
        long start = System.nanoTime();
        client.openSessions(tally);
        if (!tally.awaitFirstReplies(HALF_TIMEOUT)) {
          outcome.failure =
              tally.firstRepliesMissing() + " sessions had no first reply after "
                  + HALF_TIMEOUT.toSeconds() + " s" + problem(tally);
        }
        outcome.secondsToOpen = (System.nanoTime() - start) / 1e9;
        outcome.serverThreadsOpen = server.stats().threads();
        // Before the heap is measured: its whole-heap collection would be in the probe's window.
        Latencies busy = Latencies.measure(probe::hello, PROBE_BUSY_CALLS);
        outcome.helloBusyP50 = busy.percentileMicros(50);
        outcome.helloBusyP99 = busy.percentileMicros(99);
        outcome.heapPerSessionKib = (server.liveHeapAfterGc() - heapBefore) / 1024.0 / sessions;

        long finishing = System.nanoTime();
        client.finishSessions(tally);
        if (!tally.awaitEnds(HALF_TIMEOUT) && outcome.failure == null) {
          outcome.failure =
              "not every session ended within " + HALF_TIMEOUT.toSeconds() + " s" + problem(tally);
        }
        outcome.secondsToFinish = (System.nanoTime() - finishing) / 1e9;
        outcome.completed = tally.completed();
        outcome.serverThreadsPeak = server.stats().peakThreads();
        outcome.clientThreadsAdded = clientThreads.getPeakThreadCount() - clientThreadsBefore;
        if (outcome.failure == null && tally.completed() != sessions) {
          outcome.failure = tally.failed() + " sessions failed" + problem(tally);
        }
      }
    } catch (Exception e) {
      outcome.failure = BenchmarkFailure.describe(e);
    }
    return outcome;
  }

  private static String problem(SessionTally tally) {
    return tally.firstProblem() == null ? "" : "; first problem: " + tally.firstProblem();
  }
}
