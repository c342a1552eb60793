package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client JVM hands its outcome over as lines, a failure included. */
@Timeout(60)
class ClientJvmTest {
  @Test
  void whatFailsInTheClientJvmIsItsOutcomesFailure() throws Exception {
    List<String> lines =
        ClientJvm.run(List.of("no-such-workload", "library", "1", "1"), Duration.ofSeconds(30));

    assertThat(FieldLines.read(lines, new ManySessionsWorkload.Outcome()).failure)
        .isEqualTo("IllegalArgumentException: no client JVM for 'no-such-workload'");
  }

  @Test
  void aClientJvmThatGivesNoOutcomeInTimeIsAFailureThatSaysSo() throws Exception {
    List<String> lines =
        ClientJvm.run(List.of("no-such-workload", "library", "1", "1"), Duration.ofMillis(1));

    assertThat(lines).containsExactly("failure the client JVM had not finished after 0 s");
  }

  @Test
  void figuresAndTextSurviveTheLinesAndUnknownLinesAreIgnored() {
    ManySessionsWorkload.Outcome sent = new ManySessionsWorkload.Outcome();
    sent.secondsToOpen = 0.75;
    sent.failure = "12 sessions failed;\nfirst problem: x";

    List<String> lines = new ArrayList<>(FieldLines.of(sent));
    lines.add(1, "a line from a library");
    ManySessionsWorkload.Outcome received = FieldLines.read(lines, new ManySessionsWorkload.Outcome());

    assertThat(received.secondsToOpen).isEqualTo(0.75);
    assertThat(received.completed).isNaN();
    assertThat(received.failure).isEqualTo("12 sessions failed; first problem: x");
  }
}
