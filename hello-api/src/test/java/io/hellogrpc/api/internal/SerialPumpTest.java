package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.testing.Waiting;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SerialPumpTest {
  @Test
  void neverRunsTwiceAtOnceAndRunsAfterEverySignal() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      AtomicInteger signalsSeen = new AtomicInteger();
      AtomicInteger signals = new AtomicInteger();
      SerialPump pump =
          new SerialPump(
              pool,
              () -> {
                if (running.incrementAndGet() > 1) {
                  overlaps.incrementAndGet();
                }
                signalsSeen.set(signals.get());
                running.decrementAndGet();
              },
              e -> {});
      CountDownLatch done = new CountDownLatch(4);
      for (int t = 0; t < 4; t++) {
        pool.execute(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                signals.incrementAndGet();
                pump.signal();
              }
              done.countDown();
            });
      }
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      // The last signal always gets a run that sees it.
      Waiting.until("a run sees the last signal", () -> signalsSeen.get() == 40_000);
      assertThat(overlaps.get()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reportsARefusingExecutorAndCanSignalAgain() {
    AtomicReference<RejectedExecutionException> rejected = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    boolean[] refuse = {true};
    SerialPump pump =
        new SerialPump(
            task -> {
              if (refuse[0]) {
                throw new RejectedExecutionException("shut down");
              }
              task.run();
            },
            runs::incrementAndGet,
            rejected::set);
    pump.signal();
    assertThat(rejected.get()).hasMessage("shut down");
    refuse[0] = false;
    pump.signal();
    assertThat(runs.get()).isEqualTo(1);
  }
}
