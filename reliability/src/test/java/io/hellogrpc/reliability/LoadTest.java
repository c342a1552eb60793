package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand sessions at once, a thousand messages each, against one server over Netty: every
 * reply arrives, in order, per session; afterwards the server holds no session, the threads that
 * served them are gone, and Netty's paranoid leak detector reports nothing (see
 * {@link NoNettyLeaks}).
 */
@Timeout(600)
@ExtendWith(NoNettyLeaks.class)
class LoadTest {
  private static final int SESSIONS = 1_000;
  private static final int MESSAGES = 1_000;
  private static final int CLIENTS = 4; // connections, 250 sessions each
  private static final int SENDERS = 4; // threads sending for all the sessions, round-robin
  private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  /** Checks one session's replies as they arrive: "hello:0", "hello:1", ... then the end. */
  private static final class InOrder implements ChatListener {
    final AtomicInteger received = new AtomicInteger();
    final Queue<String> problems;
    final CountDownLatch ended;
    volatile ChatEnd end;

    InOrder(Queue<String> problems, CountDownLatch ended) {
      this.problems = problems;
      this.ended = ended;
    }

    @Override
    public void onMessage(ChatSession session, String reply) {
      int expected = received.getAndIncrement();
      if (!reply.equals("hello:" + expected)) {
        problems.add("expected hello:" + expected + ", got " + reply);
      }
    }

    @Override
    public void onCompleted(ChatSession session) {
      end = ChatEnd.completed();
      ended.countDown();
    }

    @Override
    public void onError(ChatSession session, HelloException error) {
      end = new ChatEnd(error.code(), error.description());
      problems.add("session failed: " + error);
      ended.countDown();
    }
  }

  @Test
  void aThousandSessionsOfAThousandMessagesGetEveryReplyInOrderAndLeaveNothingBehind()
      throws Exception {
    run(10, 10); // starts what the JVM and grpc start once per process, before the baseline
    int baseline = settledThreadCount();

    long started = System.nanoTime();
    int peakThreads = run(SESSIONS, MESSAGES);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    Waiting.until("the library's and grpc's threads are gone", () -> libraryThreads().isEmpty());
    Waiting.until(
        "the thread count is back to its baseline of " + baseline + " (now "
            + threadCount() + ": " + allThreads() + ")",
        () -> threadCount() <= baseline);
    assertThat(callbackThreads())
        .as("the clients' shared callback pool stays within its bound")
        .isLessThanOrEqualTo(Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
    System.out.printf(
        "load: %d sessions x %d messages in %d s (%d messages/s each way); threads %d before,"
            + " %d at most during, %d after%n",
        SESSIONS, MESSAGES, took.toSeconds(),
        (long) SESSIONS * MESSAGES * 1000 / Math.max(1, took.toMillis()), baseline, peakThreads,
        threads.getThreadCount());
  }

  /**
   * Opens {@code sessions} sessions at once over {@link #CLIENTS} connections, sends
   * {@code messages} on each, checks every reply, closes everything; returns the peak thread count.
   */
  private int run(int sessions, int messages) throws Exception {
    threads.resetPeakThreadCount();
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch ended = new CountDownLatch(sessions);
    HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
    List<HelloClient> clients = new ArrayList<>();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(HelloClient.builder().target("127.0.0.1:" + server.port()).build());
      }
      List<ChatSession> chats = new ArrayList<>();
      List<InOrder> checks = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        InOrder check = new InOrder(problems, ended);
        checks.add(check);
        chats.add(clients.get(s % CLIENTS).openChat(check));
      }
      Waiting.until("every session is open on the server", () -> server.activeSessions() == sessions);

      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < SENDERS; t++) {
        int first = t;
        Thread sender =
            new Thread(
                () -> {
                  try {
                    for (int m = 0; m < messages; m++) {
                      for (int s = first; s < sessions; s += SENDERS) {
                        chats.get(s).send(Integer.toString(m));
                      }
                    }
                    for (int s = first; s < sessions; s += SENDERS) {
                      chats.get(s).complete();
                    }
                  } catch (Exception e) {
                    problems.add("send failed: " + e);
                  }
                },
                "sender-" + t);
        senders.add(sender);
        sender.start();
      }
      assertThat(ended.await(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS))
          .as("every session ended within " + RUN_LIMIT + "; problems: " + problems)
          .isTrue();
      for (Thread sender : senders) {
        sender.join(10_000);
      }
      assertThat(problems).as("problems").isEmpty();
      for (int s = 0; s < sessions; s++) {
        assertThat(checks.get(s).received).as("replies to session " + s).hasValue(messages);
        assertThat(checks.get(s).end).isEqualTo(ChatEnd.completed());
        assertThat(chats.get(s).sentCount()).isEqualTo(messages);
        assertThat(chats.get(s).receivedCount()).isEqualTo(messages);
      }
      Waiting.until("the server holds no session", () -> server.activeSessions() == 0);
      return threads.getPeakThreadCount();
    } finally {
      for (HelloClient client : clients) {
        client.close();
      }
      server.close();
    }
  }

  /**
   * The clients' callback pool is one per JVM, shared by every HelloClient, and lets its threads
   * go after a minute idle: bounded, not gone when a client closes.
   */
  private static final String SHARED_CALLBACK_POOL = "hello-client-callback-";

  /** Threads the library (hello-*) or grpc and its Netty (grpc-*) started, but for that pool. */
  private static Set<String> libraryThreads() {
    Set<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if ((name.startsWith("hello-") || name.startsWith("grpc-"))
          && !name.startsWith(SHARED_CALLBACK_POOL)) {
        names.add(name);
      }
    }
    return names;
  }

  private static int callbackThreads() {
    int count = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(SHARED_CALLBACK_POOL)) {
        count++;
      }
    }
    return count;
  }

  /** Live threads, but for the shared callback pool's. */
  private int threadCount() {
    return threads.getThreadCount() - callbackThreads();
  }

  private static Set<String> allThreads() {
    Set<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      names.add(thread.getName());
    }
    return names;
  }

  /** The thread count once the warm-up's threads have all gone. */
  private int settledThreadCount() {
    Waiting.until("the warm-up's threads are gone", () -> libraryThreads().isEmpty());
    return threadCount();
  }
}
