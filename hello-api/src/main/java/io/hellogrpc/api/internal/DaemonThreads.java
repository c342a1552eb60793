package io.hellogrpc.api.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools the library owns: named daemon threads, so they never keep a host JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** The platform threads of a bounded pool: eight per core, at least 16. */
  public static int boundedThreads() {
    return Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * {@link #boundedThreads()} threads that start with demand and go after a minute idle; tasks
   * beyond them wait in a queue of {@code queueCapacity}, and past that are refused.
   */
  public static ThreadPoolExecutor boundedPool(String namePrefix, int queueCapacity) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            boundedThreads(),
            boundedThreads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(queueCapacity),
            factory(namePrefix));
    pool.allowCoreThreadTimeOut(true); // idle, the library keeps no threads
    return pool;
  }

  /**
   * {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix + "-", 0).factory())},
   * looked up because the library targets JDK 17; null where there are no virtual threads.
   */
  public static ExecutorService virtualThreadPerTask(String namePrefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      builder =
          Class.forName("java.lang.Thread$Builder$OfVirtual")
              .getMethod("name", String.class, long.class)
              .invoke(builder, namePrefix + "-", 0L);
      ThreadFactory factory =
          (ThreadFactory)
              Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
      return (ExecutorService)
          Executors.class
              .getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
              .invoke(null, factory);
    } catch (ReflectiveOperationException | LinkageError absent) {
      return null; // JDK 17
    }
  }

  public static ThreadFactory factory(String namePrefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, namePrefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
