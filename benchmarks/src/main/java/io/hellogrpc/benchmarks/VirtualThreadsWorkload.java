package io.hellogrpc.benchmarks;

import io.hellogrpc.client.HelloClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * virtual-threads (JDK 21+): {@code sessions} concurrent sessions from one client to one server
 * JVM, each driven by its own virtual thread in straight-line blocking code: send a message,
 * receive its reply, {@code messagesPerSession} times, then complete and see the end.
 *
 * <p>In two halves, as many-sessions: every session exchanges its first message and waits, so all
 * are open at once; heap (live, after a whole-heap collection) and platform threads are read on
 * both sides then; then every session goes on to the end. Carrier pinning is counted with JFR
 * ({@code jdk.VirtualThreadPinned}, every pin whatever its length) in both JVMs over the whole run,
 * after 1,001 warm-up sessions on platform threads (so that loading the classes a session needs,
 * which pins a virtual thread once per class, is not counted as if sessions pinned) and then
 * passes of as many on virtual threads for {@link WarmUp#TIME}, as the other workloads warm up.
 *
 * <p>The library with one {@link HelloClient}; the yardsticks with plain grpc-java's blocking
 * bidi API ({@link BlockingSessions.Grpc}: the generated blocking V2 stub, experimental in
 * grpc-java) on one channel, against the default and the tuned grpc-java server. Each runs in a
 * fresh client JVM ({@link ClientJvm}) against a fresh server JVM, so that none runs on
 * code another one's sessions compiled.
 *
 * <p>A HelloClient puts at most 1,000 sessions on one connection (the server's default
 * {@code maxConcurrentCallsPerConnection}) and opens another for more: 100,000 sessions take 100
 * connections, all from 127.0.0.1, which is exactly the server's default
 * {@code maxConnectionsPerAddress}. The server here allows that many plus a margin, so a connection
 * the pool opens in a race does not fail a session (the figure would be about the limit, not the
 * sessions).
 */
final class VirtualThreadsWorkload implements Workload {
  static final String NAME = "virtual-threads";
  private static final int SESSIONS_PER_CONNECTION = 1_000;
  private static final int WARM_UP_SESSIONS = SESSIONS_PER_CONNECTION + 1;
  private static final Duration HALF_TIMEOUT = Duration.ofSeconds(300);
  /** Both halves, the warm-up and starting the JVMs. */
  private static final Duration CLIENT_TIMEOUT = HALF_TIMEOUT.multipliedBy(2).plusMinutes(5);

  private final int sessions;
  private final int messagesPerSession;
  private final Duration warmUpTime;

  VirtualThreadsWorkload(int sessions, int messagesPerSession) {
    this(sessions, messagesPerSession, WarmUp.TIME);
  }

  /** With {@code warmUpTime} of passes on virtual threads (one pass at least): for tests. */
  VirtualThreadsWorkload(int sessions, int messagesPerSession, Duration warmUpTime) {
    this.sessions = sessions;
    this.messagesPerSession = messagesPerSession;
    this.warmUpTime = warmUpTime;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The server JVM's flags: room for the sessions, and for their connections from one address. */
  List<String> serverFlags() {
    int connections = (sessions + SESSIONS_PER_CONNECTION - 1) / SESSIONS_PER_CONNECTION;
    return List.of(
        "-Xmx2g",
        "-D" + BenchmarkServer.PER_ADDRESS_PROPERTY + "=" + Math.max(100, connections + 16));
  }

  /** What one implementation did; NaN where the run failed before measuring it. */
  static final class Outcome {
    double completed = Double.NaN;
    double secondsToOpen = Double.NaN;
    double secondsToFinish = Double.NaN;
    double clientHeapPerSessionKib = Double.NaN;
    double serverHeapPerSessionKib = Double.NaN;
    double clientThreadsBefore = Double.NaN;
    double clientThreadsOpen = Double.NaN;
    double clientThreadsPeak = Double.NaN;
    double serverThreadsBefore = Double.NaN;
    double serverThreadsOpen = Double.NaN;
    double serverThreadsPeak = Double.NaN;
    double clientPinning = Double.NaN;
    double serverPinning = Double.NaN;
    String clientPinnedAt = "";
    String serverPinnedAt = "";
    String failure;
  }

  private interface Figure {
    double of(Outcome outcome);
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    if (!VirtualThreads.supported()) {
      table.note(VirtualThreads.unsupportedMessage(NAME));
      return false;
    }
    Map<Implementation, Outcome> outcomes = new LinkedHashMap<>();
    for (Implementation implementation : Implementation.values()) {
      Outcome outcome = runInOwnJvm(implementation);
      outcomes.put(implementation, outcome);
      Log.info(
          String.format(
              "virtual-threads %s: %.0f of %d completed (%.1f s to open, %.1f s to finish); heap"
                  + " KiB/session client %.2f, server %.2f; platform threads client"
                  + " %.0f/%.0f/%.0f, server %.0f/%.0f/%.0f (before/open/peak); pinning client"
                  + " %.0f, server %.0f%s",
              implementation.label, outcome.completed, sessions, outcome.secondsToOpen,
              outcome.secondsToFinish, outcome.clientHeapPerSessionKib,
              outcome.serverHeapPerSessionKib, outcome.clientThreadsBefore,
              outcome.clientThreadsOpen, outcome.clientThreadsPeak, outcome.serverThreadsBefore,
              outcome.serverThreadsOpen, outcome.serverThreadsPeak, outcome.clientPinning,
              outcome.serverPinning, outcome.failure == null ? "" : "; FAILED: " + outcome.failure));
    }
    row(table, outcomes, "sessions completed of " + sessions, o -> o.completed, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "seconds to open all", o -> o.secondsToOpen, ResultTable.Unit.SECONDS, true);
    row(table, outcomes, "seconds to finish all", o -> o.secondsToFinish, ResultTable.Unit.SECONDS, true);
    row(table, outcomes, "client heap KiB/session", o -> o.clientHeapPerSessionKib, ResultTable.Unit.KIB, true);
    row(table, outcomes, "server heap KiB/session", o -> o.serverHeapPerSessionKib, ResultTable.Unit.KIB, true);
    row(table, outcomes, "client platform threads before", o -> o.clientThreadsBefore, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "client platform threads, all open", o -> o.clientThreadsOpen, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "client platform threads peak", o -> o.clientThreadsPeak, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "server threads before", o -> o.serverThreadsBefore, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "server threads, all open", o -> o.serverThreadsOpen, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "server threads peak", o -> o.serverThreadsPeak, ResultTable.Unit.COUNT, true);
    row(table, outcomes, "client pinning events (JFR)", o -> o.clientPinning, ResultTable.Unit.COUNT, false);
    row(table, outcomes, "server pinning events (JFR)", o -> o.serverPinning, ResultTable.Unit.COUNT, false);
    outcomes.forEach(
        (implementation, outcome) -> {
          if (!outcome.clientPinnedAt.isEmpty()) {
            table.note("virtual-threads, " + implementation.label + ", client pinned at: " + outcome.clientPinnedAt);
          }
          if (!outcome.serverPinnedAt.isEmpty()) {
            table.note("virtual-threads, " + implementation.label + ", server pinned at: " + outcome.serverPinnedAt);
          }
          if (outcome.failure != null) {
            table.note("virtual-threads, " + implementation.label + ": " + outcome.failure);
          }
        });
    table.note(
        "virtual-threads: one virtual thread per session, each contender in a fresh client JVM;"
            + " the library with one HelloClient, grpc with its blocking V2 stub on one channel;"
            + " the library's server allows "
            + serverFlags().get(1).replaceAll(".*=", "") + " connections from 127.0.0.1 here"
            + " (default 100); server JVMs " + serverFlags().get(0));
    return outcomes.get(Implementation.LIBRARY).failure == null;
  }

  private static void row(
      ResultTable table,
      Map<Implementation, Outcome> outcomes,
      String figure,
      Figure value,
      ResultTable.Unit unit,
      boolean ratios) {
    Map<String, ResultTable.Cell> cells = new HashMap<>();
    outcomes.forEach(
        (implementation, outcome) -> {
          double number = value.of(outcome);
          cells.put(
              implementation.label,
              Double.isNaN(number) ? ResultTable.Cell.text("-") : ResultTable.Cell.of(number, unit));
        });
    table.add(NAME, figure, cells, ratios);
  }

  /** Runs one implementation's sessions in a client JVM of its own ({@link ClientJvm}). */
  Outcome runInOwnJvm(Implementation implementation) throws InterruptedException {
    List<String> args =
        List.of(
            NAME,
            implementation.key,
            Integer.toString(sessions),
            Integer.toString(messagesPerSession),
            Long.toString(warmUpTime.toMillis()));
    return FieldLines.read(ClientJvm.run(args, CLIENT_TIMEOUT), new Outcome());
  }

  /**
   * Runs one implementation's sessions in this JVM against a fresh server JVM: in the client JVM
   * ({@link ClientJvm}), and in the smoke test.
   */
  Outcome runOne(Implementation implementation) {
    Outcome outcome = new Outcome();
    try (ServerProcess server = ServerProcess.start(serverFlags());
        BlockingSessions client = BlockingSessions.connect(implementation, server.ports().of(implementation))) {
      run(client, server, outcome);
    } catch (Exception e) {
      if (outcome.failure == null) {
        outcome.failure = BenchmarkFailure.describe(e);
      }
    }
    return outcome;
  }

  private void run(BlockingSessions client, ServerProcess server, Outcome outcome) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PeakHeap clientHeap = PeakHeap.install();
    Sessions run = new Sessions(sessions, messagesPerSession);
    try {
      // Whole sessions on platform threads before anything is counted: loading a class pins a
      // virtual thread while the loader works, once per class and not per session. One more
      // than a connection holds, so that the paths of a second connection (a stream queued while
      // it connects) are loaded too: after one session, one such class load was counted as a pin.
      client.hello("warm-up");
      int warmUpSessions = Math.min(sessions, WARM_UP_SESSIONS);
      warmUp(client, warmUpSessions, Thread::new);
      // Then passes on virtual threads for WarmUp.TIME, not counted either: a parked virtual
      // thread's stack is on the heap, and the frames of code not compiled yet are larger. With
      // the platform-thread pass alone, and the contenders one after another in one JVM, the
      // first paid for it (20,000 sessions: 1.4-2.7 KiB more client heap per session, 1.4-2x the
      // time to open), and the library always ran first.
      ThreadFactory warmUpThreads = VirtualThreads.factory("warm-up-");
      WarmUp.run(
          warmUpTime,
          pass -> {
            warmUp(client, warmUpSessions, warmUpThreads);
            return true;
          });
      server.startCountingPinning();
      PinningRecorder clientPinning = PinningRecorder.start();
      outcome.serverThreadsBefore = server.stats().threads();
      long serverHeapBefore = server.liveHeapAfterGc();
      server.resetPeaks();
      long clientHeapBefore = clientHeap.sampleNow();
      outcome.clientThreadsBefore = threads.getThreadCount();
      threads.resetPeakThreadCount();

      long start = System.nanoTime();
      run.start(client, VirtualThreads.factory("session-"));
      boolean allOpen = run.opened.await(HALF_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      outcome.secondsToOpen = (System.nanoTime() - start) / 1e9;
      if (!allOpen) {
        outcome.failure =
            run.opened.getCount() + " sessions had not exchanged their first message after "
                + HALF_TIMEOUT.toSeconds() + " s" + run.problem();
      }
      outcome.clientThreadsOpen = threads.getThreadCount();
      outcome.serverThreadsOpen = server.stats().threads();
      outcome.clientHeapPerSessionKib = (clientHeap.sampleNow() - clientHeapBefore) / 1024.0 / sessions;
      outcome.serverHeapPerSessionKib = (server.liveHeapAfterGc() - serverHeapBefore) / 1024.0 / sessions;

      long finishing = System.nanoTime();
      run.proceed.countDown();
      boolean allEnded = run.ended.await(HALF_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      outcome.secondsToFinish = (System.nanoTime() - finishing) / 1e9;
      if (!allEnded && outcome.failure == null) {
        outcome.failure =
            run.ended.getCount() + " sessions had not ended after " + HALF_TIMEOUT.toSeconds()
                + " s" + run.problem();
      }
      outcome.completed = run.completed.get();
      outcome.clientThreadsPeak = threads.getPeakThreadCount();
      outcome.serverThreadsPeak = server.stats().peakThreads();
      if (outcome.failure == null && run.completed.get() != sessions) {
        outcome.failure = (sessions - run.completed.get()) + " sessions failed" + run.problem();
      }
      PinningRecorder.Report clientPins = clientPinning.stop();
      outcome.clientPinning = clientPins.events();
      outcome.clientPinnedAt = clientPins.where();
      PinningRecorder.Report serverPins = server.pinning();
      outcome.serverPinning = serverPins.events();
      outcome.serverPinnedAt = serverPins.where();
    } finally {
      run.proceed.countDown(); // sessions still waiting go on, and closing the client ends them
    }
  }

  /** Runs {@code count} whole sessions on threads from {@code threads}, or throws. */
  private void warmUp(BlockingSessions client, int count, ThreadFactory threads) {
    Sessions warmUp = new Sessions(count, messagesPerSession);
    warmUp.start(client, threads);
    warmUp.proceed.countDown();
    try {
      if (!warmUp.ended.await(HALF_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
          || warmUp.completed.get() != count) {
        throw new BenchmarkFailure("the warm-up sessions did not complete" + warmUp.problem());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchmarkFailure("interrupted while warming up");
    }
  }

  /** The sessions, each on its virtual thread, and what they did. */
  static final class Sessions {
    final int count;
    final int messagesPerSession;
    final CountDownLatch opened;
    final CountDownLatch proceed = new CountDownLatch(1);
    final CountDownLatch ended;
    final AtomicInteger completed = new AtomicInteger();
    final AtomicReference<String> firstProblem = new AtomicReference<>();

    Sessions(int count, int messagesPerSession) {
      this.count = count;
      this.messagesPerSession = messagesPerSession;
      this.opened = new CountDownLatch(count);
      this.ended = new CountDownLatch(count);
    }

    void start(BlockingSessions client, ThreadFactory threads) {
      for (int i = 0; i < count; i++) {
        int session = i;
        threads.newThread(() -> runOne(client, session)).start();
      }
    }

    /** One session, in the straight-line code a virtual thread allows. */
    private void runOne(BlockingSessions client, int session) {
      boolean countedOpen = false;
      try (BlockingSessions.Session chat = client.open()) {
        exchange(chat, session, 0);
        opened.countDown();
        countedOpen = true;
        proceed.await();
        for (int k = 1; k < messagesPerSession; k++) {
          exchange(chat, session, k);
        }
        chat.complete();
        String extra = chat.receive();
        if (extra != null) {
          throw new BenchmarkFailure("session " + session + ": a reply after the last: '" + extra + "'");
        }
        completed.incrementAndGet();
      } catch (Exception e) {
        firstProblem.compareAndSet(null, "session " + session + ": " + BenchmarkFailure.describe(e));
      } finally {
        if (!countedOpen) {
          opened.countDown();
        }
        ended.countDown();
      }
    }

    private static void exchange(BlockingSessions.Session chat, int session, int k) throws Exception {
      chat.send(Messages.text(k));
      String reply = chat.receive();
      if (!Messages.expectedReply(k).equals(reply)) {
        throw new BenchmarkFailure(
            "session " + session + ": reply " + k + " was '" + reply + "', expected '"
                + Messages.expectedReply(k) + "'");
      }
    }

    String problem() {
      String problem = firstProblem.get();
      return problem == null ? "" : "; first problem: " + problem;
    }
  }
}
