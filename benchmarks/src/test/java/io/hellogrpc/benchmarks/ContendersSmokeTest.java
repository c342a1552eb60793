package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every contender's client side against its server, in one JVM and tiny: the workloads work and
 * check what they should. Not a measurement.
 */
@Timeout(60)
class ContendersSmokeTest {
  private static BenchmarkServer.Servers servers;

  @BeforeAll
  static void startServers() throws Exception {
    servers = BenchmarkServer.Servers.start();
  }

  @AfterAll
  static void stopServers() throws Exception {
    servers.close();
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void streamsAndChecksEveryReply(Implementation implementation) throws Exception {
    try (Contender contender = connect(implementation)) {
      assertThat(contender.stream(2_000, Duration.ofSeconds(30))).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void callsHello(Implementation implementation) {
    try (Contender contender = connect(implementation)) {
      Latencies latencies = Latencies.measure(contender::hello, 100);
      assertThat(latencies.percentileMicros(99)).isGreaterThanOrEqualTo(latencies.percentileMicros(50));
    }
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void readsSlowly(Implementation implementation) throws Exception {
    AtomicLong lastCount = new AtomicLong();
    try (Contender contender = connect(implementation)) {
      contender.slowReader(1_000, new SlowDrain(200_000), lastCount::set);
    }
    assertThat(lastCount).hasValue(1_000);
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void runsManySessions(Implementation implementation) throws Exception {
    SessionTally tally = new SessionTally(20, 3);
    try (Contender contender = connect(implementation)) {
      contender.openSessions(tally);
      assertThat(tally.awaitFirstReplies(Duration.ofSeconds(20))).isTrue();
      contender.finishSessions(tally);
      assertThat(tally.awaitEnds(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(tally.firstProblem()).isNull();
    assertThat(tally.completed()).isEqualTo(20);
  }

  private static Contender connect(Implementation implementation) {
    return implementation.connect(servers.ports().of(implementation));
  }
}
