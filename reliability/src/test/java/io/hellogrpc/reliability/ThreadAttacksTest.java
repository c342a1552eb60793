package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * The thread attacks of issue 14, against a server in a JVM of its own with its default handler
 * pool: before it was bounded, 2,000 {@code onChat} sessions over 2 connections took 2,009 server
 * threads, and 1,000 concurrent calls to a blocking {@code onHello} took 1,008. The server's
 * platform threads must now stay within what its transport and its pool start, whatever the
 * number of calls, and every call is still answered.
 */
@Timeout(300)
class ThreadAttacksTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  /**
   * Platform threads beyond the idle server's: the transport's event loops (two per core), the
   * default pool's threads (JDK 17: eight per core, at least 16; JDK 21 and later: virtual threads
   * on one carrier per core) and a few of grpc's and the JDK's.
   */
  private static final int THREAD_BOUND = 2 * CORES + Math.max(16, 8 * CORES) + 8;
  /** The default pool runs handlers on virtual threads from JDK 21. */
  private static final boolean VIRTUAL = Runtime.version().feature() >= 21;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ChildJvm server;
  private int port;

  private void startServer(String... options) throws Exception {
    server =
        ChildJvm.start(
            "server",
            Stream.concat(Stream.of("-Xmx512m"), NettyLeaks.JVM_FLAGS.stream()).toList(),
            ServerMain.class,
            options);
    port = Integer.parseInt(server.awaitReady().substring("listening ".length()));
  }

  private HelloClient client() {
    HelloClient client =
        HelloClient.builder()
            .target("127.0.0.1:" + port)
            .helloDeadline(Duration.ofMinutes(2))
            .build();
    toClose.add(client);
    return client;
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Waits, with a deadline, until the server answers {@code command} with at least {@code n}. */
  private void awaitServer(String command, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long last;
    while ((last = server.askLong(command)) < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the server's " + command + " stayed at " + last + ", not " + n);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polls another process
    }
  }

  @Test
  void twoThousandChatSessionsOverTwoConnectionsTakeNoThreadEach(TestReporter report)
      throws Exception {
    startServer("--on-chat", "true");
    HelloClient bystander = client();
    assertThat(bystander.hello("before")).isEqualTo("hello:before");
    long idle = server.askLong("threads");

    HelloClient attacker = client(); // 1,000 calls a connection: two connections
    List<ChatSession> sessions = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ChatSession session = attacker.openChat();
      session.send("hold " + i);
      sessions.add(session);
    }
    awaitServer("sessions", 2_000);
    long attacked = server.askLong("threads");
    report.publishEntry(
        "onChat", "2,000 sessions: server threads " + idle + " idle, " + attacked + " attacked");
    assertThat(attacked).isLessThanOrEqualTo(idle + THREAD_BOUND);
    assertThat(bystander.hello("during")).isEqualTo("hello:during");

    // Every session is answered, in turn if the pool has fewer threads than sessions: each
    // handler ends once its client has completed, and so frees its thread for the next.
    sessions.forEach(ChatSession::complete);
    for (int i = 0; i < sessions.size(); i++) {
      ChatSession session = sessions.get(i);
      assertThat(session.poll(Duration.ofSeconds(60))).isEqualTo("hello:hold " + i);
      assertThat(session.awaitEnd(Duration.ofSeconds(60)))
          .hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(StatusCode.OK));
    }
    try (ChatSession after = bystander.openChat()) {
      after.send("after");
      assertThat(after.poll(Duration.ofSeconds(30))).isEqualTo("hello:after");
    }
  }

  @Test
  void aThousandBlockedHellosTakeABoundedPoolAndAreAllAnswered(TestReporter report)
      throws Exception {
    startServer("--hello-stall-on", "stall");
    HelloClient bystander = client();
    assertThat(bystander.hello("before")).isEqualTo("hello:before");
    long idle = server.askLong("threads");

    HelloClient attacker = client();
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      calls.add(attacker.helloAsync("stall " + i));
    }
    // Blocked at once: all of them on virtual threads, else as many as the pool has threads.
    awaitServer("stalled", VIRTUAL ? 1_000 : Math.max(16, 8 * CORES));
    long attacked = server.askLong("threads");
    report.publishEntry(
        "blocking onHello",
        "1,000 blocked calls: server threads " + idle + " idle, " + attacked + " attacked");
    assertThat(attacked).isLessThanOrEqualTo(idle + THREAD_BOUND);
    CompletableFuture<String> bystanders = bystander.helloAsync("bystander");
    if (VIRTUAL) { // no queue: a call that does not block is answered meanwhile
      assertThat(bystanders.get(30, TimeUnit.SECONDS)).isEqualTo("hello:bystander");
    }

    assertThat(server.ask("release")).isEqualTo("released");
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("hello:stall " + i);
    }
    assertThat(bystanders.get(30, TimeUnit.SECONDS)).isEqualTo("hello:bystander");
    assertThat(server.askLong("threads")).isLessThanOrEqualTo(idle + THREAD_BOUND);
  }
}
