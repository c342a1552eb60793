package io.hellogrpc.client.internal;

import io.hellogrpc.api.internal.SerialPump;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a session's {@code whenReady} tasks on the client's callback executor, one at a time, in
 * the order they became due. The gate makes a task due on whatever thread made {@code trySend}
 * possible again: a transport thread in {@code onReady}, or a sender inside grpc. So the gate is
 * given {@link #handOver} instead of the task, which only queues it here.
 */
final class ReadyCallbacks {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");

  private final RealChatSession session;
  private final Queue<Runnable> due = new ConcurrentLinkedQueue<>();
  private final SerialPump pump;
  private volatile boolean refused; // the executor refused: tasks run where they become due

  ReadyCallbacks(Executor executor, RealChatSession session) {
    this.session = session;
    this.pump = new SerialPump(executor, this::runDue, this::onRefused);
  }

  /** What the gate runs for {@code task} when it is due: a hand-over that never blocks. */
  Runnable handOver(Runnable task) {
    return () -> {
      due.add(task);
      if (refused) {
        runDue(); // the pump would not: see onRefused
      } else {
        pump.signal();
      }
    };
  }

  private void runDue() {
    for (Runnable task = due.poll(); task != null; task = due.poll()) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        logger.log(Level.WARNING, "a whenReady task threw; the session is cancelled", e);
        session.cancel("a whenReady task threw " + e, e);
      }
    }
  }

  /**
   * In place of a run the executor refused: the session is cancelled saying so, and the tasks
   * due run here, so that none waits forever: their {@code trySend} now says how it ended. From
   * now on tasks run where they become due, since the pump, after a refusal, forgets the signals
   * that came during it; one queued in that gap is run here or by the thread that queued it.
   */
  private void onRefused(RejectedExecutionException rejected) {
    refused = true;
    logger.log(
        Level.WARNING,
        "the callback executor refused a whenReady task; the session is cancelled",
        rejected);
    session.cancel("the callback executor refused to run a whenReady task: " + rejected, rejected);
    runDue();
  }
}
