package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatFlow;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sender of {@code ChatFlow} from inside: it asks for a message only when the session could
 * take it now ({@link RealChatSession#canSendNow()}), and only once the message before it was
 * taken, so that while the server reads nothing it stops asking as soon as the transport is full.
 */
@Timeout(60)
class SendingSubscriberTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final String name = "sending-subscriber-" + UUID.randomUUID();
  private HelloServer server;
  private HelloClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  /**
   * Emits numbered messages one per request, on the requesting thread, and records for each
   * request how many messages the session had taken and whether it could take one more.
   */
  private static final class Source implements Flow.Publisher<String>, Flow.Subscription {
    final List<Long> takenAtRequest = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final RealChatSession session;
    private final int count;
    private Flow.Subscriber<? super String> subscriber;
    private int emitted;
    private boolean emitting;
    private long demand;

    Source(RealChatSession session, int count) {
      this.session = session;
      this.count = count;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> s) {
      subscriber = s;
      s.onSubscribe(this);
    }

    @Override
    public void request(long n) { // only from the sender's drain: one thread at a time
      if (n != 1) {
        violations.add("request(" + n + ")");
      }
      if (!session.canSendNow()) {
        violations.add("request " + takenAtRequest.size() + " while the session could not send");
      }
      takenAtRequest.add(session.sentCount());
      demand += n;
      if (emitting) {
        return; // the onNext below this request on the stack emits it
      }
      emitting = true;
      while (demand > 0 && emitted < count) {
        demand--;
        subscriber.onNext("m" + emitted++);
      }
      if (emitted == count) {
        subscriber.onComplete();
      }
      emitting = false;
    }

    @Override
    public void cancel() {
      violations.add("cancelled");
    }
  }

  @Test
  void theSenderAsksForAMessageOnlyWhenTheSessionCanTakeIt() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    server =
        HelloServer.builder()
            .inProcess(name)
            .receiveBufferSize(4)
            .onChat(
                session -> {
                  reading.await();
                  for (String message : session.messages()) {
                    session.send("hello:" + message);
                  }
                })
            .start();
    client = HelloClient.builder().inProcess(name).build();
    RealChatSession chat = (RealChatSession) client.openChat();
    Source source = new Source(chat, 500);

    source.subscribe(ChatFlow.sender(chat));

    // The server reads nothing: the sender stops at what the transport holds, nothing requested.
    Waiting.until(
        "the sender waits for the transport",
        () -> !chat.canSendNow() && source.takenAtRequest.size() == chat.sentCount());
    assertThat(chat.sentCount()).isBetween(1L, 50L);
    reading.countDown();
    List<String> got = new ArrayList<>();
    for (String reply : ((ChatSession) chat).replies()) {
      got.add(reply);
    }

    assertThat(got).isEqualTo(IntStream.range(0, 500).mapToObj(i -> "hello:m" + i).toList());
    assertThat(source.violations).isEmpty();
    assertThat(source.takenAtRequest).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(source.takenAtRequest.get(i)).as("taken before request %d", i).isEqualTo(i);
    }
  }
}
