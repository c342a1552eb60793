package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The idle timer on a clock the test moves: activity in either direction puts the end off. */
@Timeout(30)
class IdleTimeoutTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Holds the checks back: the test runs them when its clock says so. */
  private static final class ManualTimer extends ScheduledThreadPoolExecutor {
    final List<Runnable> checks = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();

    ManualTimer() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable check, long delay, TimeUnit unit) {
      checks.add(check);
      delays.add(unit.toNanos(delay));
      return super.schedule(() -> {}, 1, TimeUnit.DAYS);
    }

    synchronized void runLatest() {
      checks.get(checks.size() - 1).run();
    }
  }

  private final String name = "idle-" + UUID.randomUUID();
  private final AtomicLong clock = new AtomicLong();
  private final ManualTimer timer = new ManualTimer();
  private HelloServer server;
  private ManagedChannel channel;
  private RealChatSession session;

  @BeforeEach
  void start() throws Exception {
    server = HelloServer.builder().inProcess(name).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    IdleTimeout idle = new IdleTimeout(Duration.ofSeconds(1), timer, clock::get);
    session =
        idle.open(
            channel,
            CallOptions.DEFAULT,
            call -> {
              RealChatSession opened =
                  RealChatSession.create(
                      new RealChatSession.Settings(
                          16, 1024, Runnable::run, timer, RealChatSession.CLOSE_GRACE, null,
                          ended -> {}),
                      call,
                      null);
              opened.start();
              return opened;
            });
  }

  @AfterEach
  void stop() throws InterruptedException {
    session.cancel();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void aSendOrAReplyPutsTheEndOffByAWholeTimeout() throws Exception {
    assertThat(timer.delays).containsExactly(SECOND);

    clock.set(SECOND * 6 / 10);
    session.send("a"); // the reply comes back at the same instant
    assertThat(session.receive()).isEqualTo("hello:a");
    clock.set(SECOND);
    timer.runLatest();
    assertThat(session.end()).isEmpty();
    assertThat(timer.delays).containsExactly(SECOND, SECOND * 6 / 10);

    clock.set(SECOND * 16 / 10);
    timer.runLatest();
    assertThat(session.awaitEnd(Duration.ofSeconds(10)))
        .hasValueSatisfying(
            end -> {
              assertThat(end.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
              assertThat(end.description()).startsWith("the session was idle for PT1S");
            });
  }

  @Test
  void aSessionThatEndsStopsBeingWatched() throws Exception {
    session.send("a");
    assertThat(session.receive()).isEqualTo("hello:a");
    session.complete();
    assertThat(session.receive()).isNull();

    clock.set(SECOND * 5);
    timer.runLatest();
    assertThat(timer.delays).hasSize(1); // no further check once the session ended
    assertThat(session.end()).hasValueSatisfying(end -> assertThat(end.isCompleted()).isTrue());
  }
}
