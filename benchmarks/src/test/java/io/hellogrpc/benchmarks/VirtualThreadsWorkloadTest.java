package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The virtual-threads workload, tiny: on JDK 21+ its sessions run on virtual threads to the end
 * and nothing pins a carrier; on JDK 17 it refuses, saying why. The suite runs on both (.ci/run).
 */
@Timeout(120)
class VirtualThreadsWorkloadTest {
  @Test
  void theLibrarysSessionsOnVirtualThreadsCompleteWithoutPinningACarrier() {
    assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");

    VirtualThreadsWorkload.Outcome outcome =
        new VirtualThreadsWorkload(200, 3, Duration.ZERO).runOne(Implementation.LIBRARY);

    assertThat(outcome.failure).isNull();
    assertThat(outcome.completed).isEqualTo(200);
    assertThat(outcome.clientPinning).as("pinned at " + outcome.clientPinnedAt).isZero();
    assertThat(outcome.serverPinning).as("pinned at " + outcome.serverPinnedAt).isZero();
    assertThat(outcome.clientHeapPerSessionKib).isFinite();
    assertThat(outcome.serverHeapPerSessionKib).isFinite();
    assertThat(outcome.clientThreadsOpen).isPositive();
    assertThat(outcome.serverThreadsPeak).isGreaterThanOrEqualTo(outcome.serverThreadsOpen);
  }

  @ParameterizedTest
  @EnumSource(value = Implementation.class, names = {"GRPC_DEFAULT", "GRPC_TUNED"})
  void grpcsBlockingStubOnVirtualThreadsCompletesAndItsPinningIsCounted(Implementation yardstick) {
    assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");

    VirtualThreadsWorkload.Outcome outcome = new VirtualThreadsWorkload(50, 3, Duration.ZERO).runOne(yardstick);

    assertThat(outcome.failure).isNull();
    assertThat(outcome.completed).isEqualTo(50);
    assertThat(outcome.clientPinning).isNotNaN().isNotNegative();
  }

  @Test
  void eachContenderRunsInAClientJvmOfItsOwnThatReportsEveryFigure() throws Exception {
    assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");

    VirtualThreadsWorkload.Outcome outcome =
        new VirtualThreadsWorkload(20, 2, Duration.ZERO).runInOwnJvm(Implementation.LIBRARY);

    assertThat(outcome.failure).isNull();
    assertThat(outcome.completed).isEqualTo(20);
    assertThat(outcome.secondsToOpen).isPositive();
    assertThat(outcome.clientHeapPerSessionKib).isFinite();
    assertThat(outcome.clientThreadsOpen).isPositive();
    assertThat(outcome.serverThreadsPeak).isPositive();
    assertThat(outcome.clientPinning).isZero();
  }

  @Test
  void anOutcomeSurvivesItsLinesWithTextAndMissingFigures() {
    VirtualThreadsWorkload.Outcome sent = new VirtualThreadsWorkload.Outcome();
    sent.completed = 7;
    sent.clientPinnedAt = "a.B.c(B.java:1)\n d.E.f(E.java:2)";
    sent.failure = "3 sessions failed; first problem: x y";

    VirtualThreadsWorkload.Outcome received =
        FieldLines.read(FieldLines.of(sent), new VirtualThreadsWorkload.Outcome());

    assertThat(received.completed).isEqualTo(7);
    assertThat(received.secondsToOpen).isNaN();
    assertThat(received.clientPinnedAt).isEqualTo("a.B.c(B.java:1)  d.E.f(E.java:2)");
    assertThat(received.serverPinnedAt).isEmpty();
    assertThat(received.failure).isEqualTo("3 sessions failed; first problem: x y");
  }

  @Test
  void virtualThreadsAreOneThreadEachAndNotPlatformThreads() throws Exception {
    assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
    Thread thread = VirtualThreads.factory("probe-").newThread(() -> {});

    assertThat(thread.getName()).isEqualTo("probe-0");
    assertThat(thread.getClass().getName()).contains("Virtual");
  }

  @Test
  void onJdk17TheWorkloadSaysItNeedsJdk21AndFails() throws Exception {
    assumeFalse(VirtualThreads.supported(), "this JDK has virtual threads");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = Main.run(new String[] {"virtual-threads", "--virtual-sessions", "10"});
    } finally {
      System.setErr(original);
    }

    assertThat(status).isEqualTo(Main.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("virtual-threads needs JDK 21 or later for virtual threads; this is JDK 17");
  }
}
