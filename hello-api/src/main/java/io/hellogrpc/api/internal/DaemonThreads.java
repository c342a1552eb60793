package io.hellogrpc.api.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools the library owns: named daemon threads, so they never keep a host JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A pool that grows with demand and lets idle threads go after a minute. */
  public static ExecutorService cachedPool(String namePrefix) {
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory(namePrefix));
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
