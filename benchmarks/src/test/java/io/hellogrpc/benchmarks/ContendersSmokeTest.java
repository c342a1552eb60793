package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    servers =
        BenchmarkServer.Servers.start(
            List.of(Telemetry.METRICS, Telemetry.TRACES_1, Telemetry.TRACES_100));
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

  /** The rows of --telemetry: the library observed in each mode, client and server. */
  @ParameterizedTest
  @EnumSource(value = Telemetry.class, names = "OFF", mode = EnumSource.Mode.EXCLUDE)
  void streamsAndCallsHelloObservedThroughOpenTelemetry(Telemetry mode) throws Exception {
    try (Contender contender = new LibraryContender(servers.ports().telemetry().get(mode), mode)) {
      assertThat(contender.label()).isEqualTo("library, " + mode.label);
      assertThat(contender.stream(2_000, Duration.ofSeconds(30))).isPositive();
      assertThat(contender.hello("you")).isEqualTo("hello:you");
    }
  }

  @Test
  void thePortLineNamesTheObservedServers() {
    ServerPorts ports = servers.ports();
    assertThat(ports.line())
        .matches(
            "ports library=\\d+ grpc-default=\\d+ grpc-tuned=\\d+ library\\+metrics=\\d+"
                + " library\\+traces-1=\\d+ library\\+traces-100=\\d+");
    assertThat(ServerPorts.parse(ports.line())).isEqualTo(ports);
  }

  private static Contender connect(Implementation implementation) {
    return implementation.connect(servers.ports().of(implementation));
  }
}
