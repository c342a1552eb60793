package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;

/**
 * Model checks of {@link Admission} ({@link AdmissionRaces}): no call runs after a closer that
 * waited for the calls let in has stopped, in any interleaving of the scenarios. A closed flag
 * checked before taking a count, as the HelloClient guarded its calls before, fails the same check.
 */
class AdmissionModelCheckTest {

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
  void noCallRunsAfterTheCloserHasWaitedForThoseLetIn() {
    ModelChecks.of(AdmissionRaces.class)
        .invocationsPerScenario(200)
        .race("call", "close")
        .race("call", "call", "close")
        .race("call", "close", "close")
        .scenario(List.of("call"), List.of(List.of("call", "call"), List.of("close")))
        .check();
  }

  @Test
  void closeIsTrueOnceAndTheWaitEndsWhenTheLastCallLeaves() throws Exception {
    Admission admission = new Admission();
    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isTrue();

    assertThat(admission.close()).isTrue();
    assertThat(admission.close()).isFalse();
    assertThat(admission.enter()).as("a call after close()").isFalse();
    assertThat(admission.awaitAllLeft(System.nanoTime())).as("two calls still inside").isFalse();

    admission.leave();
    assertThat(admission.awaitAllLeft(System.nanoTime())).as("one call still inside").isFalse();
    admission.leave();
    assertThat(admission.awaitAllLeft(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
  }

  @Test
  void closingWithNoCallInsideNeedsNoWait() throws Exception {
    Admission admission = new Admission();
    admission.close();
    assertThat(admission.awaitAllLeft(System.nanoTime())).isTrue();
  }
}
