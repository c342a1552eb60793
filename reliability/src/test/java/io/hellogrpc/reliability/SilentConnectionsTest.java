package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SilentConnection;
import io.hellogrpc.testing.SilentConnection.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection attack of issue 14: thousands of connections that send the HTTP/2 preface and
 * one SETTINGS frame, then nothing. Before, all stayed open, one descriptor each, and at 1,024
 * descriptors 1,100 of them made every new client fail. The server runs in a JVM of its own at
 * that limit ({@code ulimit -n 1024}) with every setting at its default but, in the last test, a
 * shorter idle time, and the test asks it for its descriptors, heap and threads as the attack goes.
 *
 * <p>All of 127.0.0.0/8 is this machine, so the attackers connect from 127.0.0.2 and up and the
 * well-behaved client from 127.0.0.1: what one address may hold does not touch another.
 */
@Timeout(300)
@ExtendWith(NoNettyLeaks.class)
class SilentConnectionsTest {
  private static final int DESCRIPTORS = 1_024;
  /** The default maxConnections at that limit: half of it. */
  private static final int MAX_CONNECTIONS = DESCRIPTORS / 2;
  /** The default maxConnectionsPerAddress. */
  private static final int PER_ADDRESS = 100;
  private static final InetAddress ATTACKER = SilentConnection.loopback(2);
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final long MIB = 1024 * 1024;
  /**
   * java.util.logging's records one line each, "WARNING io.hellogrpc.server: message", told apart
   * from what the JVM itself writes to stderr (JDK 24 and later warn there about Netty's native
   * code: "WARNING: A restricted method ...").
   */
  private static final String ONE_LINE_LOGS =
      "-Djava.util.logging.SimpleFormatter.format=%4$s %3$s: %5$s%6$s%n";
  /**
   * Heap in use after a full collection, beyond the idle server's, with 512 connections held: 16
   * KiB each, twice what they take (7.5 KiB measured).
   */
  private static final long HEAP_BOUND = MAX_CONNECTIONS * 16 * 1024;
  /**
   * Netty's direct memory, at its peak while the attack goes on: an idle connection holds none,
   * and the pool's arenas hold the same few MiB as for any client (6 idle, 8 measured).
   */
  private static final long DIRECT_BOUND = 16 * MIB;
  /**
   * Threads beyond the idle server's, none per connection: the transport's event loops (two per
   * core) and the default handler pool's threads (on JDK 17, eight per core, at least 16; on 21
   * and later, virtual threads on a carrier per core), each started as it first gets work (the
   * well-behaved clients' calls), and a few of grpc's.
   */
  private static final int THREAD_BOUND =
      2 * Runtime.getRuntime().availableProcessors()
          + Math.max(16, 8 * Runtime.getRuntime().availableProcessors())
          + 4;

  @RegisterExtension final LogCapture clientLogs = new LogCapture();

  private final List<SilentConnection> held = new ArrayList<>();
  private ChildJvm server;
  private int port;
  private long startNanos;

  private void startServer(String... options) throws Exception {
    startServer(List.of(), options);
  }

  private void startServer(List<String> jvmFlags, String... options) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux: descriptors to count");
    startNanos = System.nanoTime();
    server =
        ChildJvm.startWithDescriptorLimit(
            DESCRIPTORS,
            "server",
            Stream.of(List.of("-Xmx512m", ONE_LINE_LOGS), NettyLeaks.JVM_FLAGS, jvmFlags)
                .flatMap(List::stream)
                .toList(),
            ServerMain.class,
            options);
    port = Integer.parseInt(server.awaitReady().substring("listening ".length()));
  }

  @AfterEach
  void stop() throws Exception {
    for (SilentConnection connection : held) {
      connection.close();
    }
    if (server != null) {
      assertThat(server.askLong("leaks")).as("Netty leak reports in the server").isZero();
      server.close();
    }
    assertThat(clientLogs.atOrAbove(Level.WARNING)).isEmpty();
  }

  /**
   * What the server process holds now. Its sockets, idle, are the listening one and one the JVM
   * opens for itself.
   */
  private record Usage(long descriptors, long sockets, long heap, long direct, long threads) {}

  /** What the server holds now; for direct memory, the most it held since the last time asked. */
  private Usage usage() throws InterruptedException {
    return new Usage(
        server.askLong("fds"),
        server.askLong("sockets"),
        server.askLong("heap"),
        server.askLong("direct"),
        server.askLong("threads"));
  }

  /**
   * Opens {@code count} silent connections from {@code from} and keeps those the server accepts.
   *
   * @return how many it accepted
   */
  private int attack(InetAddress from, int count) throws IOException {
    int accepted = 0;
    for (int i = 0; i < count; i++) {
      SilentConnection connection = new SilentConnection(from, port);
      Answer answer = connection.awaitAnswer(PATIENCE);
      assertThat(answer).as("connection %d from %s", i, from).isNotEqualTo(Answer.SILENT);
      if (answer == Answer.ANSWERED) {
        held.add(connection);
        accepted++;
      } else {
        connection.close();
      }
    }
    return accepted;
  }

  /** Serves a client once, which loads what every later connection uses, and measures. */
  private Usage warmUp() throws Exception {
    long idleSockets = sockets();
    assertANewClientIsServed("warm-up");
    awaitServer("the warm-up's connection is closed", () -> sockets() == idleSockets);
    return usage();
  }

  /** A new client, on a new connection from 127.0.0.1, is served. */
  private void assertANewClientIsServed(String word) throws Exception {
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build();
        ChatSession chat = client.openChat()) {
      assertThat(client.hello(word)).isEqualTo("hello:" + word);
      chat.send(word);
      assertThat(chat.receive()).isEqualTo("hello:" + word);
    }
  }

  /** What the server held idle and under attack, for the report. */
  private static String compare(Usage idle, Usage attacked, int connections) {
    return String.format(
            "server descriptors %d idle, %d under attack (limit %d); heap after GC %.1f MiB idle,"
                + " %.1f MiB under attack (%.1f KiB per connection); Netty's direct memory at"
                + " most %.1f MiB idle, %.1f MiB under attack; threads %d idle, %d under attack",
            idle.descriptors(), attacked.descriptors(), DESCRIPTORS, idle.heap() / (double) MIB,
            attacked.heap() / (double) MIB, (attacked.heap() - idle.heap()) / 1024.0 / connections,
            idle.direct() / (double) MIB, attacked.direct() / (double) MIB, idle.threads(),
            attacked.threads());
  }

  /** Heap, direct memory and threads stay under their bounds while the attack is held. */
  private static void assertBounded(Usage idle, Usage attacked) {
    assertThat(attacked.heap()).as("heap after GC").isLessThan(idle.heap() + HEAP_BOUND);
    assertThat(attacked.direct()).as("Netty's direct memory").isLessThan(DIRECT_BOUND);
    assertThat(attacked.threads()).as("threads").isLessThanOrEqualTo(idle.threads() + THREAD_BOUND);
  }

  /** The lines of the server's log that contain {@code text}. */
  private List<String> logged(String text) {
    return server.stderr().lines().filter(line -> line.contains(text)).toList();
  }

  /** A warning logged at most once a minute: once, plus once per minute the test has run. */
  private int onceAMinute() {
    return 1 + (int) Duration.ofNanos(System.nanoTime() - startNanos).toMinutes();
  }

  /** Over both of Netty's transports: refusing closes a connection no event loop has yet. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void thousandsFromOneAddressHoldOnlyItsShareWhileOtherClientsAreServed(
      String transport, TestReporter report) throws Exception {
    startServer(
        transport.equals("nio")
            ? List.of("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true")
            : List.of());
    Usage idle = warmUp();
    try (HelloClient bystander = HelloClient.builder().target("127.0.0.1:" + port).build();
        ChatSession session = bystander.openChat()) {
      session.send("before");
      assertThat(session.receive()).isEqualTo("hello:before");

      int accepted = 0;
      for (int round = 0; round < 10; round++) {
        accepted += attack(ATTACKER, 500);
        assertANewClientIsServed("during round " + round);
        session.send("round " + round);
        assertThat(session.receive()).isEqualTo("hello:round " + round);
      }
      assertThat(accepted).as("connections accepted of 5,000 from one address").isEqualTo(100);

      // the attacker's 100 and the bystander's connection (new clients' have closed or are closing)
      awaitServer(
          "the server holds 100 + 1 connections",
          () -> sockets() == idle.sockets() + PER_ADDRESS + 1);
      Usage attacked = usage();
      report.publishEntry(
          "one address, " + transport,
          "5,000 silent connections from one address, " + accepted + " accepted: "
              + compare(idle, attacked, accepted));
      assertThat(attacked.descriptors()).isLessThanOrEqualTo(idle.descriptors() + PER_ADDRESS + 1);
      assertBounded(idle, attacked);
    }
    assertThat(logged("refused a connection"))
        .hasSizeBetween(1, onceAMinute())
        .allMatch(
            line ->
                line.startsWith(
                    "WARNING io.hellogrpc.server: refused a connection from 127.0.0.2: 100"
                        + " connections from there are open, as many as"
                        + " maxConnectionsPerAddress allows"));
    assertNothingElseLogged();
  }

  @Test
  void thousandsFromManyAddressesHoldNoMoreThanMaxConnectionsAndNoMoreDescriptors(
      TestReporter report) throws Exception {
    startServer();
    Usage idle = warmUp();
    try (HelloClient bystander = HelloClient.builder().target("127.0.0.1:" + port).build();
        ChatSession session = bystander.openChat()) {
      session.send("before");
      assertThat(session.receive()).isEqualTo("hello:before");

      int accepted = 0;
      for (int address = 10; address < 60; address++) { // 50 addresses, 100 connections each
        accepted += attack(SilentConnection.loopback(address), PER_ADDRESS);
      }
      assertThat(accepted)
          .as("connections accepted of 5,000 from 50 addresses")
          .isEqualTo(MAX_CONNECTIONS - 1); // the bystander's is the other one

      Usage attacked = usage();
      report.publishEntry(
          "many addresses",
          "5,000 silent connections from 50 addresses, " + accepted + " accepted: "
              + compare(idle, attacked, accepted));
      assertThat(attacked.sockets()).isEqualTo(idle.sockets() + MAX_CONNECTIONS);
      assertThat(attacked.descriptors())
          .isLessThanOrEqualTo(idle.descriptors() + MAX_CONNECTIONS)
          .isLessThan(DESCRIPTORS - 256);
      assertBounded(idle, attacked);

      // A client connected before is served; a new connection must wait for one to close.
      session.send("during");
      assertThat(session.receive()).isEqualTo("hello:during");
      try (SilentConnection refused = new SilentConnection(SilentConnection.loopback(1), port)) {
        assertThat(refused.awaitAnswer(PATIENCE)).isEqualTo(Answer.CLOSED);
      }

      for (SilentConnection connection : held) {
        connection.close();
      }
      held.clear();
      awaitServer(
          "the server lets the attackers' connections go",
          () -> sockets() == idle.sockets() + 1);
      assertANewClientIsServed("after");
    }
    assertThat(logged("maxConnections allows"))
        .hasSizeBetween(1, onceAMinute())
        .allMatch(
            line ->
                line.matches(
                    "WARNING io\\.hellogrpc\\.server: refused a connection from 127\\.0\\.0\\.\\d+:"
                        + " the server has 512 connections open, as many as maxConnections"
                        + " allows.*"));
    assertNothingElseLogged();
  }

  @Test
  void silentConnectionsAreClosedOnceIdleAndAnIdleClientConnectsAgain() throws Exception {
    startServer("--max-connection-idle-ms", "2000");
    long idleSockets = sockets();
    for (int address = 10; address < 15; address++) {
      assertThat(attack(SilentConnection.loopback(address), PER_ADDRESS)).isEqualTo(PER_ADDRESS);
    }
    assertThat(sockets()).isEqualTo(idleSockets + 5 * PER_ADDRESS);
    // 2 s idle, then 10 s for the answer to the GOAWAY's PING that a silent client never sends
    awaitServer("the server closes every idle connection", () -> sockets() == idleSockets);
    for (SilentConnection connection : held) {
      assertThat(connection.closedByServer()).isTrue();
    }

    // A HelloClient keeps a connection to each server (round-robin), so it connects again at once.
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build()) {
      assertThat(client.hello("before")).isEqualTo("hello:before");
      List<Integer> first = clientPortsTo(port);
      assertThat(first).hasSize(1);
      awaitServer(
          "the server closes the client's idle connection and the client connects again",
          () -> {
            List<Integer> now = clientPortsTo(port);
            return now.size() == 1 && !now.equals(first);
          });
      assertThat(client.hello("after")).isEqualTo("hello:after");
    }
    assertNothingElseLogged();
  }

  /**
   * The local ports of this machine's established TCP connections to {@code port} on 127.0.0.1:
   * the client ends of the connections to the server, as the kernel lists them.
   */
  private static List<Integer> clientPortsTo(int port) {
    // 127.0.0.1 as the kernel writes it, also inside an IPv4-mapped IPv6 address (::ffff:...),
    // which is how a dual-stack socket's connection to 127.0.0.1 is listed in tcp6
    String remote = String.format("0100007F:%04X", port);
    List<Integer> ports = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        Files.readAllLines(Path.of(table)).stream()
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(fields -> fields[2].endsWith(remote) && fields[3].equals("01")) // ESTABLISHED
            .map(fields -> Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16))
            .forEach(ports::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ports.stream().sorted().toList();
  }

  /**
   * Nothing logged by grpc or the library but the refusals above: no error, no exception, no line
   * per connection.
   */
  private void assertNothingElseLogged() {
    assertThat(
            server.stderr().lines()
                .filter(line -> line.matches("[A-Z]+ io\\.(grpc|hellogrpc)\\S*: .*"))
                .filter(line -> !line.contains(": refused a connection from ")))
        .isEmpty();
    assertThat(logged("Exception")).isEmpty();
  }

  private long sockets() {
    try {
      return server.askLong("sockets");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code condition} holds, for up to 30 s: the server closes idle connections. */
  private static void awaitServer(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting until " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polls the child, at its pace
    }
  }
}
