package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain-Java event listener, on both sides: which events, in which order, with what. */
@Timeout(60)
class EventListenerTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final Recorder clientEvents = new Recorder();
  private final Recorder serverEvents = new Recorder();
  private InProcessPair pair;

  /** Each event as a line; durations only as "positive", which is all a test can know of them. */
  private static final class Recorder extends HelloEventListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    private void record(String event) {
      events.add(event);
      threads.add(Thread.currentThread().getName());
    }

    private static String positive(Duration duration) {
      return duration.isNegative() || duration.isZero() ? "NOT POSITIVE " + duration : "positive";
    }

    @Override
    public void sessionOpened(long session) {
      record("opened " + session);
    }

    @Override
    public void sessionEnded(
        long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {
      record(
          "ended " + session + " " + end + ", sent " + sentCount + ", received " + receivedCount
              + ", " + positive(duration));
    }

    @Override
    public void senderBlocked(long session) {
      record("blocked " + session);
    }

    @Override
    public void senderResumed(long session, Duration blocked) {
      record("resumed " + session + " after " + positive(blocked));
    }

    @Override
    public void helloEnded(StatusCode status, Duration latency) {
      record("hello " + status + " after " + positive(latency));
    }
  }

  private void start(HelloServer.Builder server) throws Exception {
    pair =
        InProcessPair.start(
            server.eventListener(serverEvents), client -> client.eventListener(clientEvents));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void sessionsAndHellosAreToldOnBothSides() throws Exception {
    start(
        HelloServer.builder()
            .onHello(
                name -> {
                  if (name.equals("nobody")) {
                    throw new HelloException(StatusCode.NOT_FOUND, "nobody to greet");
                  }
                  return "hello:" + name;
                }));
    try (ChatSession chat = pair.client.openChat()) {
      assertThat(clientEvents.events).containsExactly("opened 1");
      chat.send("a");
      chat.send("b");
      chat.complete();
      assertThat(chat.receive()).isEqualTo("hello:a");
      assertThat(chat.receive()).isEqualTo("hello:b");
      assertThat(chat.receive()).isNull();
    }
    // One thing at a time, so that the two sides' events come in an order a test can state:
    // sessionEnded may come a moment after receive() has seen the end.
    Waiting.until("the client tells the first end", () -> clientEvents.events.size() == 2);
    Waiting.until("the server tells the first end", () -> serverEvents.events.size() == 2);
    ChatSession cancelled = pair.client.openChat();
    cancelled.send("c");
    assertThat(cancelled.receive()).isEqualTo("hello:c");
    cancelled.cancel();
    Waiting.until("the client tells the second end", () -> clientEvents.events.size() == 4);
    Waiting.until("the server tells the second end", () -> serverEvents.events.size() == 4);
    assertThat(pair.client.hello("you")).isEqualTo("hello:you");
    assertThatThrownBy(() -> pair.client.hello("nobody")).isInstanceOf(HelloException.class);

    Waiting.until("the client tells every end", () -> clientEvents.events.size() == 6);
    assertThat(clientEvents.events)
        .containsExactly(
            "opened 1",
            "ended 1 COMPLETED, sent 2, received 2, positive",
            "opened 2",
            "ended 2 CANCELLED: cancelled by the client, sent 1, received 1, positive",
            "hello OK after positive",
            "hello NOT_FOUND after positive");
    Waiting.until("the server tells every end", () -> serverEvents.events.size() == 6);
    assertThat(serverEvents.events)
        .containsExactly(
            "opened 1",
            "ended 1 COMPLETED, sent 2, received 2, positive",
            "opened 2",
            "ended 2 CANCELLED: the client cancelled the call or went away, sent 1, received 1,"
                + " positive",
            "hello OK after positive",
            "hello NOT_FOUND after positive");
    assertThat(clientEvents.threads.get(0))
        .as("a client's session opens on the thread that opens it")
        .isEqualTo(Thread.currentThread().getName());
    assertThat(logs.records()).isEmpty();
  }

  @Test
  void aSenderHeldByFlowControlIsToldOnItsOwnThreadOnBothSides() throws Exception {
    CountDownLatch serverReads = new CountDownLatch(1);
    start(
        HelloServer.builder()
            .receiveBufferSize(1)
            .onChat(
                session -> {
                  serverReads.await(10, TimeUnit.SECONDS);
                  for (String message : session.messages()) {
                    session.send("hello:" + message);
                  }
                }));
    ChatSession chat = pair.client.openChat();
    AtomicBoolean stop = new AtomicBoolean();
    Background<Long> sender =
        Background.start(
                "sender",
                () -> {
                  long sent = 0;
                  while (!stop.get()) {
                    chat.send("m" + sent++);
                  }
                  chat.complete();
                  return sent;
                })
            .untilBlocked();
    assertThat(clientEvents.events).containsExactly("opened 1", "blocked 1");
    stop.set(true);
    serverReads.countDown();
    assertThat(sender.get()).isEqualTo(2);
    assertThat(chat.receive()).isEqualTo("hello:m0");
    assertThat(chat.receive()).isEqualTo("hello:m1");
    assertThat(chat.receive()).isNull();

    Waiting.until("the client tells the end", () -> clientEvents.events.size() == 4);
    assertThat(clientEvents.events)
        .containsExactly(
            "opened 1",
            "blocked 1",
            "resumed 1 after positive",
            "ended 1 COMPLETED, sent 2, received 2, positive");
    assertThat(clientEvents.threads.subList(1, 3)).containsExactly("sender", "sender");
  }

  @Test
  @SuppressWarnings("try") // the server is only started and stopped
  void aListenerThatThrowsNeverBreaksASessionOrCallAndIsLoggedOnceASide() throws Exception {
    HelloEventListener throwing =
        new HelloEventListener() {
          @Override
          public void sessionOpened(long session) {
            throw new IllegalStateException("opened " + session);
          }

          @Override
          public void sessionEnded(
              long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {
            throw new IllegalStateException("ended " + session);
          }

          @Override
          public void helloEnded(StatusCode status, Duration latency) {
            throw new IllegalStateException("hello " + status);
          }
        };
    String name = "throwing-" + java.util.UUID.randomUUID();
    try (HelloServer server =
            HelloServer.builder().inProcess(name).eventListener(throwing).start();
        HelloClient client =
            HelloClient.builder().inProcess(name).eventListener(throwing).build()) {
      for (int s = 0; s < 2; s++) {
        try (ChatSession chat = client.openChat()) {
          chat.send("a");
          chat.complete();
          assertThat(chat.receive()).isEqualTo("hello:a");
          assertThat(chat.receive()).isNull();
          assertThat(chat.end()).contains(ChatEnd.completed());
        }
      }
      assertThat(client.hello("you")).isEqualTo("hello:you");
      assertThat(client.helloAsync("again").get(10, TimeUnit.SECONDS)).isEqualTo("hello:again");
    }
    assertThat(logs.atOrAbove(Level.WARNING))
        .containsExactlyInAnyOrder(
            "WARNING io.hellogrpc.client: HelloEventListener.sessionOpened threw; the library"
                + " ignores it and goes on (further failures of this listener are logged at FINE)"
                + " [java.lang.IllegalStateException: opened 1]",
            "WARNING io.hellogrpc.server: HelloEventListener.sessionOpened threw; the library"
                + " ignores it and goes on (further failures of this listener are logged at FINE)"
                + " [java.lang.IllegalStateException: opened 1]");
  }
}
