package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that turns every stream into a protocol error (a WINDOW_UPDATE of zero, which the
 * server answers by resetting the stream) and reconnects every 2,000 streams, for four seconds:
 * grpc logs a WARNING with a stack trace per stream, and a reconnecting client sidesteps every
 * per-connection limit. The server's log must not flood, and others are served throughout.
 */
@Timeout(120)
@ExtendWith(NoNettyLeaks.class)
class LogFloodTest {
  @Test
  void aClientCausingStreamErrorsOverAndOverIsLoggedAFewTimesAMinute() throws Exception {
    int streams = 0;
    int connections = 0;
    try (LogCapture logs = LogCapture.start();
        HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient bystanderClient =
            HelloClient.builder().target("127.0.0.1:" + server.port()).build();
        ChatSession bystander = bystanderClient.openChat()) {
      long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < end) {
        connections++;
        try (RapidResetAttacker attacker = new RapidResetAttacker(server.port())) {
          // 2,000 streams, then a new connection: as the attack did after each GOAWAY
          for (int batch = 0; batch < 40 && System.nanoTime() < end; batch++) {
            attacker.openWithZeroWindowUpdates(50);
          }
          streams += attacker.streams();
        } catch (IOException cut) {
          // the server dropped this connection: reconnect, as the attack does
        }
        bystander.send("still served");
        assertThat(bystander.poll(Duration.ofSeconds(10))).isEqualTo("hello:still served");
      }

      Map<String, Long> perKind =
          logs.records().stream()
              .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
              .collect(
                  Collectors.groupingBy(
                      r -> r.getLoggerName() + ": " + firstWords(r), Collectors.counting()));
      System.out.printf(
          "%d connections, %d streams made protocol errors; logged at INFO and above: %s%n",
          connections, streams, perKind);
      assertThat(connections).as("the attack reconnected").isGreaterThan(2);
      assertThat(perKind.values())
          .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(10));
    }
  }

  /** The record's message up to the first variable part: what the throttle groups by. */
  private static String firstWords(LogRecord record) {
    String message = String.valueOf(record.getMessage());
    int cut = message.indexOf(" (and ");
    return cut < 0 ? message : message.substring(0, cut);
  }
}
