package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.Waiting;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Admission}: Lincheck's model checker over calls racing closers ({@link AdmissionRaces}),
 * where no call runs after the closer stopped what calls use, in any interleaving explored, and a
 * closed flag checked before a count is taken (the HelloClient's guard before) fails the same
 * check; then each rule on its own.
 */
@Timeout(60)
class AdmissionModelCheckTest {
  private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

  @Test
  void theCheckFindsACallThatSlipsInBetweenACheckAndItsCount() {
    ModelChecks check =
        ModelChecks.of(AdmissionRaces.CheckThenAct.class)
            .invocationsPerScenario(50)
            .race("call", "close");

    assertThatThrownBy(check::check)
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("ran after the closer stopped");
  }

  @Test
  void noCallRunsAfterTheCloserStopsAndTheStopAlwaysComes() {
    ModelChecks.of(AdmissionRaces.class)
        .invocationsPerScenario(200)
        .race("call", "close")
        .race("call", "call", "close")
        .race("call", "close", "close")
        .race("call", "callThatCloses")
        .race("callThatCloses", "callThatCloses")
        .scenario(List.of("call"), List.of(List.of("call", "call"), List.of("close")))
        .check();
  }

  @Test
  void closeIsTrueOnceAndRefusesLaterCalls() {
    Admission admission = new Admission();
    assertThat(admission.close()).isTrue();
    assertThat(admission.close()).isFalse();
    assertThat(admission.enter()).as("a call after close()").isFalse();
  }

  @Test
  void theCloserWaitsForOtherThreadsCallsAndTheStopRunsAsTheLastLeaves() throws Exception {
    Admission admission = new Admission();
    CountDownLatch leave = new CountDownLatch(1);
    Background<Thread> caller =
        Background.start(
            "admitted-caller",
            () -> {
              assertThat(admission.enter()).isTrue();
              leave.await();
              admission.leave();
              return Thread.currentThread();
            });
    caller.untilBlocked();
    assertThat(admission.close()).isTrue();
    assertThat(admission.awaitOthersLeft(System.nanoTime())).as("a call inside").isFalse();
    AtomicReference<Thread> stoppedOn = new AtomicReference<>();
    assertThat(admission.whenAllLeft(() -> stoppedOn.set(Thread.currentThread())))
        .as("stopped at once")
        .isFalse();
    assertThat(stoppedOn).hasNullValue();

    leave.countDown();
    assertThat(admission.awaitOthersLeft(System.nanoTime() + TEN_SECONDS)).isTrue();
    assertThat(stoppedOn).hasValue(caller.get());
  }

  @Test
  void aCloserInsideACallDoesNotWaitForItselfAndStopsAsItLeaves() throws Exception {
    Admission admission = new Admission();
    assertThat(admission.enter()).isTrue();
    assertThat(admission.close()).isTrue();

    assertThat(admission.awaitOthersLeft(System.nanoTime() + TEN_SECONDS)).isTrue();
    AtomicReference<String> stop = new AtomicReference<>();
    assertThat(admission.whenAllLeft(() -> stop.set("stopped"))).isFalse();
    assertThat(stop).hasNullValue();
    admission.leave();
    assertThat(stop).hasValue("stopped");
    assertThat(admission.whenAllLeft(() -> stop.set("again"))).as("all left: at once").isTrue();
    assertThat(stop).hasValue("again");
  }

  @Test
  void aCloserWithNoCallInsideStopsAtOnce() throws Exception {
    Admission admission = new Admission();
    admission.close();
    assertThat(admission.awaitOthersLeft(System.nanoTime())).isTrue();
    assertThat(admission.whenAllLeft(() -> {})).isTrue();
  }

  @Test
  void leavingWithoutEnteringOnThisThreadFails() throws Exception {
    Admission admission = new Admission();
    assertThat(admission.enter()).isTrue();
    Background<Void> other =
        Background.start(
            "not-admitted",
            () -> {
              admission.leave();
              return null;
            });
    Waiting.until("the other thread is done", () -> !other.thread().isAlive());
    assertThatThrownBy(other::get)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("leave() without enter() on this thread");
    admission.leave(); // this thread's own call still counts
    admission.close();
    assertThat(admission.whenAllLeft(() -> {})).isTrue();
  }
}
