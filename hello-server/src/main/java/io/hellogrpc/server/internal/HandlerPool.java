package io.hellogrpc.server.internal;

import io.hellogrpc.api.internal.DaemonThreads;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The server's own executor for handlers, when the application gives none: bounded, so that
 * clients cannot make the server start a thread per call (2,000 {@code onChat} sessions once made
 * 2,009 threads). A task past the bound is refused, and a refused call ends with
 * {@code UNAVAILABLE} saying the executor is full.
 *
 * <p>On JDK 21 and later: a virtual thread per task, at most {@link #MAX_TASKS} at once, since a
 * handler that blocks ({@code onChat} holds its thread for the whole session) costs a virtual
 * thread next to nothing. On JDK 17: {@link #threads()} platform threads and a queue of
 * {@link #MAX_TASKS} tasks waiting for one; an {@code onChat} session past the threads waits in the
 * queue for one to free.
 */
final class HandlerPool {
  /** Handlers running or waiting at once, whatever runs them. */
  static final int MAX_TASKS = 10_000;

  private HandlerPool() {}

  /** Whether this JVM has virtual threads (JDK 21+), which the pool then uses. */
  static boolean virtual() {
    try {
      Thread.class.getMethod("ofVirtual");
      return true;
    } catch (NoSuchMethodException jdk17) {
      return false;
    }
  }

  /** The platform threads of the JDK 17 pool: eight per core, at least 16. */
  static int threads() {
    return DaemonThreads.boundedThreads();
  }

  static ExecutorService create(String namePrefix) {
    ExecutorService virtual = DaemonThreads.virtualThreadPerTask(namePrefix);
    if (virtual != null) {
      return new Bounded(virtual, MAX_TASKS);
    }
    return DaemonThreads.boundedPool(namePrefix, MAX_TASKS);
  }

  /** An executor that refuses a task while {@code max} are running or about to. */
  private static final class Bounded extends AbstractExecutorService {
    private final ExecutorService delegate;
    private final Semaphore slots;
    private final int max;

    Bounded(ExecutorService delegate, int max) {
      this.delegate = delegate;
      this.slots = new Semaphore(max);
      this.max = max;
    }

    @Override
    public void execute(Runnable task) {
      if (!slots.tryAcquire()) {
        throw new RejectedExecutionException(max + " handlers are running: the pool is full");
      }
      try {
        delegate.execute(
            () -> {
              try {
                task.run();
              } finally {
                slots.release();
              }
            });
      } catch (RuntimeException refused) {
        slots.release();
        throw refused;
      }
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }
  }
}
