package io.hellogrpc.benchmarks;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * virtual-threads (JDK 21+): {@code sessions} concurrent sessions from one {@link HelloClient} to
 * one server JVM, each driven by its own virtual thread in straight-line blocking code: send a
 * message, receive its reply, {@code messagesPerSession} times, then complete and see the end.
 *
 * <p>In two halves, as many-sessions: every session exchanges its first message and waits, so all
 * are open at once; heap (live, after a whole-heap collection) and platform threads are read on
 * both sides then; then every session goes on to the end. Carrier pinning is counted with JFR
 * ({@code jdk.VirtualThreadPinned}, every pin whatever its length) in both JVMs over the whole run,
 * after one warm-up session on a platform thread (so that loading the classes a session needs,
 * which pins a virtual thread once per class, is not counted as if sessions pinned).
 *
 * <p>The library only: plain grpc-java has no blocking API for a bidirectional stream but its
 * experimental {@code BlockingClientCall}, left for later.
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
  private static final Duration HALF_TIMEOUT = Duration.ofSeconds(300);

  private final int sessions;
  private final int messagesPerSession;

  VirtualThreadsWorkload(int sessions, int messagesPerSession) {
    this.sessions = sessions;
    this.messagesPerSession = messagesPerSession;
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

  /** What the library did; NaN where the run failed before measuring it. */
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

  @Override
  public boolean run(ResultTable table) throws Exception {
    if (!VirtualThreads.supported()) {
      table.note(VirtualThreads.unsupportedMessage(NAME));
      return false;
    }
    Outcome outcome = runLibrary();
    Log.info(
        String.format(
            "virtual-threads: %.0f of %d completed (%.1f s to open, %.1f s to finish); heap"
                + " KiB/session client %.2f, server %.2f; platform threads client %.0f/%.0f/%.0f,"
                + " server %.0f/%.0f/%.0f (before/open/peak); pinning client %.0f, server %.0f%s",
            outcome.completed, sessions, outcome.secondsToOpen, outcome.secondsToFinish,
            outcome.clientHeapPerSessionKib, outcome.serverHeapPerSessionKib,
            outcome.clientThreadsBefore, outcome.clientThreadsOpen, outcome.clientThreadsPeak,
            outcome.serverThreadsBefore, outcome.serverThreadsOpen, outcome.serverThreadsPeak,
            outcome.clientPinning, outcome.serverPinning,
            outcome.failure == null ? "" : "; FAILED: " + outcome.failure));
    row(table, "sessions completed of " + sessions, outcome.completed, ResultTable.Unit.COUNT);
    row(table, "seconds to open all", outcome.secondsToOpen, ResultTable.Unit.SECONDS);
    row(table, "seconds to finish all", outcome.secondsToFinish, ResultTable.Unit.SECONDS);
    row(table, "client heap KiB/session", outcome.clientHeapPerSessionKib, ResultTable.Unit.KIB);
    row(table, "server heap KiB/session", outcome.serverHeapPerSessionKib, ResultTable.Unit.KIB);
    row(table, "client platform threads before", outcome.clientThreadsBefore, ResultTable.Unit.COUNT);
    row(table, "client platform threads, all open", outcome.clientThreadsOpen, ResultTable.Unit.COUNT);
    row(table, "client platform threads peak", outcome.clientThreadsPeak, ResultTable.Unit.COUNT);
    row(table, "server threads before", outcome.serverThreadsBefore, ResultTable.Unit.COUNT);
    row(table, "server threads, all open", outcome.serverThreadsOpen, ResultTable.Unit.COUNT);
    row(table, "server threads peak", outcome.serverThreadsPeak, ResultTable.Unit.COUNT);
    row(table, "client pinning events (JFR)", outcome.clientPinning, ResultTable.Unit.COUNT);
    row(table, "server pinning events (JFR)", outcome.serverPinning, ResultTable.Unit.COUNT);
    if (!outcome.clientPinnedAt.isEmpty()) {
      table.note("virtual-threads, client pinned most at: " + outcome.clientPinnedAt);
    }
    if (!outcome.serverPinnedAt.isEmpty()) {
      table.note("virtual-threads, server pinned most at: " + outcome.serverPinnedAt);
    }
    table.note(
        "virtual-threads: one HelloClient, one virtual thread per session; the library's server"
            + " allows " + serverFlags().get(1).replaceAll(".*=", "") + " connections from"
            + " 127.0.0.1 here (default 100); server JVM " + serverFlags().get(0));
    if (outcome.failure != null) {
      table.note("virtual-threads, library: " + outcome.failure);
    }
    return outcome.failure == null;
  }

  private static void row(ResultTable table, String figure, double value, ResultTable.Unit unit) {
    table.add(
        NAME,
        figure,
        Map.of(
            Implementation.LIBRARY.label,
            Double.isNaN(value) ? ResultTable.Cell.text("-") : ResultTable.Cell.of(value, unit)),
        false);
  }

  /** Runs the library's sessions against a fresh server JVM. Visible for the smoke test. */
  Outcome runLibrary() {
    Outcome outcome = new Outcome();
    try (ServerProcess server = ServerProcess.start(serverFlags())) {
      run(server.ports().of(Implementation.LIBRARY), server, outcome);
    } catch (Exception e) {
      if (outcome.failure == null) {
        outcome.failure = BenchmarkFailure.describe(e);
      }
    }
    return outcome;
  }

  private void run(int port, ServerProcess server, Outcome outcome) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PeakHeap clientHeap = PeakHeap.install();
    Sessions run = new Sessions(sessions, messagesPerSession);
    HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build();
    try {
      // The first connection and one whole session, before anything is counted: loading a class
      // pins a virtual thread while the loader works, once per class and not per session.
      client.hello("warm-up");
      Sessions warmUp = new Sessions(1, messagesPerSession);
      warmUp.start(client, Thread::new);
      warmUp.proceed.countDown();
      if (!warmUp.ended.await(HALF_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS) || warmUp.completed.get() != 1) {
        throw new BenchmarkFailure("the warm-up session did not complete" + warmUp.problem());
      }
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
      run.proceed.countDown(); // sessions still waiting go on, and the client's close ends them
      client.close();
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

    void start(HelloClient client, ThreadFactory threads) {
      for (int i = 0; i < count; i++) {
        int session = i;
        threads.newThread(() -> runOne(client, session)).start();
      }
    }

    /** One session, in the straight-line code a virtual thread allows. */
    private void runOne(HelloClient client, int session) {
      boolean countedOpen = false;
      try (ChatSession chat = client.openChat()) {
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

    private static void exchange(ChatSession chat, int session, int k) throws InterruptedException {
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
