package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (a TestNG suite) on {@link ChatFlow#sender}, as a black box: each
 * subscriber sends on a new session, on the in-process transport, to the default echo server.
 */
public class SenderSubscriberTckTest extends FlowSubscriberBlackboxVerification<String> {
  private static final long SIGNAL_MILLIS = 2_000;
  private static final long NO_SIGNAL_MILLIS = 50;

  /** How often it looks for an error signalled asynchronously: each look costs this much. */
  private static final long POLL_MILLIS = 10;

  private final String name = "tck-sender-" + UUID.randomUUID();
  private LogCapture logs;
  private HelloServer server;
  private HelloClient client;

  public SenderSubscriberTckTest() {
    super(new TestEnvironment(SIGNAL_MILLIS, NO_SIGNAL_MILLIS, POLL_MILLIS));
  }

  @BeforeClass
  public void start() throws Exception {
    logs = LogCapture.start();
    server = HelloServer.builder().inProcess(name).start();
    client =
        HelloClient.builder()
            .inProcess(name)
            .shutdownGracePeriod(Duration.ZERO) // sessions the TCK left open: cancelled
            .build();
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws InterruptedException {
    try {
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.shutdownNow();
        assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
      }
      assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
    } finally {
      logs.close();
    }
  }

  @Override
  public Flow.Subscriber<String> createFlowSubscriber() {
    return ChatFlow.sender(client.openChat());
  }

  @Override
  public String createElement(int element) {
    return "m" + element;
  }
}
