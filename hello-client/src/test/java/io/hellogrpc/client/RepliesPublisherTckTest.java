package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (a TestNG suite) on {@link ChatFlow#replies}: each publisher is the
 * replies of a new session, on the in-process transport, to a server that answers the message
 * "N" with N replies and then completes. The failed publisher is a session cancelled before
 * anyone subscribed: onSubscribe, then onError.
 */
public class RepliesPublisherTckTest extends FlowPublisherVerification<String> {
  /** How long the TCK waits for a signal, and for the absence of one. */
  private static final long SIGNAL_MILLIS = 2_000;

  private static final long NO_SIGNAL_MILLIS = 50;

  /** How often it looks for an error signalled asynchronously: each look costs this much. */
  private static final long POLL_MILLIS = 10;

  private final String name = "tck-replies-" + UUID.randomUUID();
  private LogCapture logs;
  private HelloServer server;
  private HelloClient client;

  public RepliesPublisherTckTest() {
    super(new TestEnvironment(SIGNAL_MILLIS, NO_SIGNAL_MILLIS, POLL_MILLIS), SIGNAL_MILLIS);
  }

  @BeforeClass
  public void start() throws Exception {
    logs = LogCapture.start();
    server =
        HelloServer.builder()
            .inProcess(name)
            .onChat(
                session -> {
                  long count = Long.parseLong(session.receive());
                  for (long i = 0; i < count; i++) {
                    session.send("r" + i); // throws once the client cancels
                  }
                })
            .start();
    client =
        HelloClient.builder()
            .inProcess(name)
            .receiveBufferSize(4)
            .shutdownGracePeriod(Duration.ZERO) // endless publishers the TCK left open: cancelled
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
  public Flow.Publisher<String> createFlowPublisher(long elements) {
    ChatSession chat = client.openChat();
    try {
      chat.send(Long.toString(elements)); // the first message never waits
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    chat.complete();
    return ChatFlow.replies(chat);
  }

  @Override
  public Flow.Publisher<String> createFailedFlowPublisher() {
    ChatSession chat = client.openChat();
    chat.cancel();
    return ChatFlow.replies(chat);
  }
}
