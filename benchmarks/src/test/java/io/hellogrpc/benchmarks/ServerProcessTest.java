package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server JVM as the benchmarks drive it: ports, measurements, and no process left behind. */
@Timeout(60)
class ServerProcessTest {
  @Test
  void servesAnswersCommandsAndStops() throws Exception {
    ServerProcess server = ServerProcess.start(List.of("-Xmx256m"));
    try (server;
        Contender library = Implementation.LIBRARY.connect(server.ports().of(Implementation.LIBRARY))) {
      assertThat(library.stream(100, Duration.ofSeconds(30))).isPositive();

      server.resetPeaks();
      long live = server.liveHeapAfterGc();
      ServerStats stats = server.stats();

      assertThat(live).isPositive();
      assertThat(stats.peakHeapBytes()).isGreaterThanOrEqualTo(live);
      assertThat(stats.threads()).isPositive();
      assertThat(stats.peakThreads()).isGreaterThanOrEqualTo(stats.threads());
      assertThat(stats.outOfMemory()).isFalse();
      assertThat(stats.jitMillis()).isPositive(); // HotSpot says, and it has compiled the stream
    }
    assertThat(server.isAlive()).isFalse();
    assertThat(server.ranOutOfMemory()).isFalse();
  }
}
