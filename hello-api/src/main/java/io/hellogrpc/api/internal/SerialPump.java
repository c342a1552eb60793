package io.hellogrpc.api.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a drain task on an executor, one run at a time, as often as it is signalled.
 *
 * <p>A signal while a run is going on makes that run loop once more instead of queuing a second
 * task, so a busy session costs one executor hop per burst, not per message, and its work never
 * runs on two threads at once. A signal from a Netty event loop dispatches at the end of the read
 * being processed ({@link EventLoopDeferral}), so one hop carries the whole read.
 */
public final class SerialPump {
  private final AtomicInteger pending = new AtomicInteger();
  private final Executor executor;
  private final Runnable drain;
  private final Runnable loop = this::loop;
  private final Runnable dispatch = this::dispatch;
  private final Consumer<RejectedExecutionException> onRejected;

  /**
   * @param drain must not throw; it runs to completion each time
   * @param onRejected what to do when the executor refuses the task (shut down, or full): it runs
   *     in place of the drain, never beside one, so it may act on what the drain owns
   */
  public SerialPump(
      Executor executor,
      Runnable drain,
      Consumer<RejectedExecutionException> onRejected) {
    this.executor = executor;
    this.drain = drain;
    this.onRejected = onRejected;
  }

  public void signal() {
    if (pending.getAndIncrement() == 0 && !EventLoopDeferral.runAfterCurrentBatch(dispatch)) {
      dispatch();
    }
  }

  private void dispatch() {
    try {
      executor.execute(loop);
    } catch (RejectedExecutionException e) {
      onRejected.accept(e); // signals meanwhile only count: no drain starts while pending > 0
      pending.set(0);
    }
  }

  private void loop() {
    int missed = 1;
    do {
      drain.run();
      missed = pending.addAndGet(-missed);
    } while (missed != 0);
  }
}
