package io.hellogrpc.examples;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * One {@code Channel} session as the Go tutorial's client runs it: one thread sends while another
 * receives. Unlike the tutorial, every reply is checked against {@code "hello:" + message}, in
 * order, and the session ends cleanly.
 */
final class Exchange {
  /** What happened: counts, and the first thing that went wrong, if anything did. */
  record Result(long sent, long received, String problem, Duration elapsed) {
    boolean ok() {
      return problem == null && received == sent;
    }

    double messagesPerSecond() {
      return received / Math.max(elapsed.toNanos() / 1e9, 1e-9);
    }

    String summary() {
      String verdict =
          ok()
              ? "all in order"
              : problem != null ? "FAILED: " + problem : "FAILED: " + (sent - received) + " replies missing";
      return String.format(
          "sent %d, received %d, %s, %.0f messages/s", sent, received, verdict, messagesPerSecond());
    }
  }

  private Exchange() {}

  /**
   * @param messageFor the i-th message to send
   * @param maxMessages stop sending after this many
   * @param maxDuration or after this long, whichever comes first
   * @param show how many replies to print as they arrive
   */
  static Result run(
      HelloClient client,
      LongFunction<String> messageFor,
      long maxMessages,
      Duration maxDuration,
      int show,
      PrintStream out)
      throws InterruptedException {
    AtomicLong sent = new AtomicLong();
    AtomicReference<String> problem = new AtomicReference<>();
    long start = System.nanoTime();
    long received = 0;
    try (ChatSession chat = client.openChat()) {
      Thread sender =
          new Thread(
              () -> {
                long stopAt = start + maxDuration.toNanos();
                try {
                  for (long i = 0; i < maxMessages && System.nanoTime() - stopAt < 0; i++) {
                    chat.send(messageFor.apply(i));
                    sent.incrementAndGet();
                  }
                  chat.complete();
                } catch (HelloException | IllegalStateException e) {
                  problem.compareAndSet(null, "sending failed: " + e.getMessage());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sender");
      sender.start();
      try {
        for (String reply = chat.receive(); reply != null; reply = chat.receive()) {
          String expected = "hello:" + messageFor.apply(received);
          if (!reply.equals(expected)) {
            problem.compareAndSet(
                null, "reply " + received + " was '" + reply + "', expected '" + expected + "'");
            chat.cancel();
            break;
          }
          if (received < show) {
            out.println("Stream server : " + reply);
          }
          received++;
        }
      } catch (HelloException e) {
        problem.compareAndSet(null, "the session ended with " + e.getMessage());
      }
      sender.join();
    }
    return new Result(sent.get(), received, problem.get(), Duration.ofNanos(System.nanoTime() - start));
  }
}
