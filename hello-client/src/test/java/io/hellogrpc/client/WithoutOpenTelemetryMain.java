package io.hellogrpc.client;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host application, run by {@link WithoutOpenTelemetryTest} in a JVM of its own: a server and a
 * client over Netty on 127.0.0.1, a {@code Hello} and a session of 100 messages, first plainly, then
 * with an event listener on both sides; with the argument {@code opentelemetry}, also with
 * OpenTelemetry's no-op API instance (the control: then its classes do load), or what the builder
 * said if it refused it. Prints what it got.
 */
public final class WithoutOpenTelemetryMain {
  private WithoutOpenTelemetryMain() {}

  public static void main(String[] args) throws Exception {
    try {
      Class.forName("io.opentelemetry.api.OpenTelemetry");
      System.out.println("OpenTelemetry is on the class path");
    } catch (ClassNotFoundException e) {
      System.out.println("OpenTelemetry is not on the class path");
    }
    run(HelloServer.builder(), HelloClient.builder(), "plain");
    AtomicLong events = new AtomicLong();
    HelloEventListener counting =
        new HelloEventListener() {
          @Override
          public void sessionEnded(
              long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {
            events.incrementAndGet();
          }

          @Override
          public void helloEnded(StatusCode status, Duration latency) {
            events.incrementAndGet();
          }
        };
    run(
        HelloServer.builder().eventListener(counting),
        HelloClient.builder().eventListener(counting),
        "with a listener");
    System.out.println("listener events: " + events.get());
    if (args.length > 0 && args[0].equals("opentelemetry")) {
      try {
        run(
            HelloServer.builder().openTelemetry(io.opentelemetry.api.OpenTelemetry.noop()),
            HelloClient.builder().openTelemetry(io.opentelemetry.api.OpenTelemetry.noop()),
            "with OpenTelemetry");
      } catch (IllegalStateException refused) {
        System.out.println("refused: " + refused.getMessage());
      }
    }
  }

  private static void run(HelloServer.Builder server, HelloClient.Builder client, String how)
      throws Exception {
    try (HelloServer started = server.host("127.0.0.1").port(0).start();
        HelloClient connected = client.target("127.0.0.1:" + started.port()).build()) {
      String greeting = connected.hello("you");
      long received = 0;
      try (ChatSession chat = connected.openChat()) {
        for (int i = 0; i < 100; i++) {
          chat.send("m" + i);
        }
        chat.complete();
        for (String reply = chat.receive(); reply != null; reply = chat.receive()) {
          if (!reply.equals("hello:m" + received)) {
            throw new AssertionError("reply " + received + " was " + reply);
          }
          received++;
        }
      }
      System.out.println(how + ": " + greeting + ", " + received + " replies in order");
    }
  }
}
