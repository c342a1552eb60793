package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that trusts one connection with more calls than the server allows has sessions that
 * grpc queues without a word; the client says so instead of letting them wait in silence.
 */
@Timeout(60)
class StartWatchTest {
  private final Logger logger = Logger.getLogger("io.hellogrpc.client");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private HelloServer server;
  private RealHelloClient client;

  private final Level level = logger.getLevel();

  private final boolean useParentHandlers = logger.getUseParentHandlers();

  @BeforeEach
  void capture() {
    logger.setUseParentHandlers(false); // expected warnings stay out of the build's output
  }

  @AfterEach
  void stop() {
    logger.removeHandler(capture);
    logger.setLevel(level);
    logger.setUseParentHandlers(useParentHandlers);
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ClientConfig config(String target, int maxCallsPerConnection) {
    return new ClientConfig(
        target, null, null, Duration.ofSeconds(10), null, null, 1, false, 16, 1024,
        maxCallsPerConnection, null, null, null, false, false, null, null, Duration.ofSeconds(1),
        RequestHeaders.NONE);
  }

  @Test
  void aSessionTheServerHasNoRoomForIsReportedOnceWithWhatToChange() throws Exception {
    logger.addHandler(capture);
    logger.setLevel(Level.FINE); // the second report is at FINE
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .maxConcurrentCallsPerConnection(1)
            .start();
    client = new RealHelloClient(config("127.0.0.1:" + server.port(), 5), Duration.ofMillis(500));
    // The connection is up before any session opens, so that the first starts at once: a cold
    // connect on a busy machine can take longer than the patience, and is rightly reported.
    assertThat(client.hello("connect")).isEqualTo("hello:connect");
    ChatSession first = client.openChat();
    first.send("hold");
    assertThat(first.poll(Duration.ofSeconds(10))).isEqualTo("hello:hold");

    ChatSession queued = client.openChat();
    ChatSession alsoQueued = client.openChat();
    queued.send("waits");
    alsoQueued.send("waits too");

    Waiting.until("both are reported", () -> records.size() >= 2);
    assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(records.get(0).getMessage())
        .contains("waited PT0.5S for the server to accept its stream")
        .contains("maxConcurrentCallsPerConnection (5)");
    assertThat(records.get(1).getLevel()).as("once per client").isEqualTo(Level.FINE);

    // A third, reported only after sweeps every 250 ms for 500 ms more: none of those sweeps
    // reported the first two again, and none reported the third before it had waited.
    Instant opened = Instant.now();
    ChatSession third = client.openChat();
    third.send("waits as well");
    Waiting.until("the third is reported", () -> records.size() >= 3);
    assertThat(records).as("each waiting session once").hasSize(3);
    assertThat(records.get(2).getLevel()).isEqualTo(Level.FINE);
    // Less 20 ms for the wall clock the record is stamped with.
    assertThat(records.get(2).getInstant()).isAfterOrEqualTo(opened.plusMillis(480));
    first.cancel();
    queued.cancel();
    alsoQueued.cancel();
    third.cancel();
  }

  @Test
  void aSessionThatStartsIsNotReported() throws Exception {
    logger.addHandler(capture);
    server = HelloServer.builder().host("127.0.0.1").port(0).start();
    client = new RealHelloClient(config("127.0.0.1:" + server.port(), 5), Duration.ofMillis(100));
    assertThat(client.hello("connect")).isEqualTo("hello:connect"); // no cold connect to wait for
    try (ChatSession chat = client.openChat()) {
      chat.send("x");
      assertThat(chat.receive()).isEqualTo("hello:x");
    }
    assertThat(records).isEmpty();
  }
}
