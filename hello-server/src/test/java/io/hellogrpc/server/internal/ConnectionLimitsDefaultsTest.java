package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default maxConnections: half the process's file-descriptor limit, at most 10,000. */
class ConnectionLimitsDefaultsTest {
  @Test
  void halfTheDescriptorLimitSoTheProcessKeepsTheOtherHalf() {
    assertThat(ConnectionLimits.defaultMaxConnections(1_024)).isEqualTo(512);
    assertThat(ConnectionLimits.defaultMaxConnections(4_096)).isEqualTo(2_048);
    assertThat(ConnectionLimits.defaultMaxConnections(3)).isEqualTo(1);
    assertThat(ConnectionLimits.defaultMaxConnections(1)).isEqualTo(1);
  }

  @Test
  void atMostTenThousandHoweverHighTheLimit() {
    assertThat(ConnectionLimits.defaultMaxConnections(20_000)).isEqualTo(10_000);
    assertThat(ConnectionLimits.defaultMaxConnections(1_048_576)).isEqualTo(10_000);
    assertThat(ConnectionLimits.defaultMaxConnections(Long.MAX_VALUE)).isEqualTo(10_000);
  }

  @Test
  void tenThousandWhenTheLimitIsUnknown() {
    assertThat(ConnectionLimits.defaultMaxConnections(-1)).isEqualTo(10_000);
    assertThat(ConnectionLimits.defaultMaxConnections(0)).isEqualTo(10_000);
  }

  @Test
  void theLimitIsTheProcesssOwn() throws IOException {
    Path limits = Path.of("/proc/self/limits");
    assumeTrue(Files.exists(limits), "Linux: the kernel says what the limit is");
    // "Max open files            20000                20000                files"
    String openFiles =
        Files.readAllLines(limits).stream()
            .filter(line -> line.startsWith("Max open files"))
            .findFirst()
            .orElseThrow();
    String soft = openFiles.substring("Max open files".length()).trim().split(" +")[0];
    assumeTrue(!soft.equals("unlimited"), "a limit to read");
    assertThat(ConnectionLimits.descriptorLimit()).isEqualTo(Long.parseLong(soft));
  }
}
