package io.hellogrpc.examples;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The event listener example of the README, kept compiling and running here. */
public final class EventListenerExample {
  private EventListenerExample() {}

  /** Counts what a client does, as an application would feed a metrics library of its own. */
  static final class Counting extends HelloEventListener {
    final Map<StatusCode, LongAdder> hellos = new ConcurrentHashMap<>();
    final Map<StatusCode, LongAdder> sessions = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder blockedNanos = new LongAdder();

    @Override
    public void helloEnded(StatusCode status, Duration latency) {
      hellos.computeIfAbsent(status, code -> new LongAdder()).increment();
    }

    @Override
    public void sessionEnded(
        long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {
      sessions.computeIfAbsent(end.code(), code -> new LongAdder()).increment();
      received.add(receivedCount);
    }

    @Override
    public void senderResumed(long session, Duration blocked) {
      blockedNanos.add(blocked.toNanos()); // time this client's senders waited for flow control
    }
  }

  public static void main(String[] args) throws Exception {
    Counting counting = new Counting();
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + server.port())
                .eventListener(counting)
                .build()) {
      client.hello("you");
      try (ChatSession chat = client.openChat()) {
        for (int i = 0; i < 3; i++) {
          chat.send("m" + i);
        }
        chat.complete();
        while (chat.receive() != null) {
          // the replies
        }
      }
    } // close() returns once every session has ended and the listener has heard it
    System.out.println("Hellos " + counting.hellos); // Hellos {OK=1}
    System.out.println(
        "sessions " + counting.sessions + ", " + counting.received + " messages received");
    // sessions {OK=1}, 3 messages received
  }
}
