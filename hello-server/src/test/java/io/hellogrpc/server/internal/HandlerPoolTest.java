package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.testing.Waiting;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's default pool never grows with its clients: tasks past the bound are refused. */
@Timeout(60)
class HandlerPoolTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService pool = HandlerPool.create("pool-test");

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private Runnable blocking(Set<Thread> threads, AtomicInteger started) {
    return () -> {
      threads.add(Thread.currentThread());
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aTaskPastTheBoundIsRefusedAndThePlatformThreadsStayFew() throws Exception {
    int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger started = new AtomicInteger();
    // Virtual threads run every task they accept at once; JDK 17's pool runs its threads' worth
    // and queues the rest, up to the same bound.
    int running = HandlerPool.virtual() ? HandlerPool.MAX_TASKS : HandlerPool.threads();
    int accepted = HandlerPool.virtual() ? HandlerPool.MAX_TASKS : running + HandlerPool.MAX_TASKS;
    for (int i = 0; i < accepted; i++) {
      pool.execute(blocking(threads, started));
    }
    Waiting.until("the pool runs what it can", () -> started.get() == running);

    assertThatThrownBy(() -> pool.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    int cores = Runtime.getRuntime().availableProcessors(); // virtual threads' carriers
    assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - platformThreadsBefore)
        .as("platform threads the pool added")
        .isLessThanOrEqualTo(HandlerPool.threads() + cores);

    release.countDown();
    Waiting.until("every accepted task ran", () -> started.get() == accepted);
  }
}
