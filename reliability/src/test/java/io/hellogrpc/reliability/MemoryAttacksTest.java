package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two memory attacks of the security review, against a server in a JVM of its own with the
 * reviewer's limits ({@code -Xmx512m -XX:MaxDirectMemorySize=512m}), every setting at its default
 * but a required token. Each is kept up over fresh connections for several seconds while a
 * legitimate client's 1 MB {@code Hello} must keep working, and the server's peak direct memory
 * and its heap in use after a full collection must stay far from the limits.
 */
@Timeout(300)
class MemoryAttacksTest {
  private static final long MIB = 1024 * 1024;
  private static final String TOKEN = "s3cret";
  /** An eighth of the JVM's limits is what the server may buffer by default: leave room. */
  private static final long BOUND = 200 * MIB;
  private static final Duration ATTACK = Duration.ofSeconds(6);
  /** As large as the server's default maxMessageSize (4 MiB) lets a message be. */
  private static final int LARGEST_TEXT = (int) (4 * MIB) - 16;

  private ChildJvm server;
  private int port;
  private HelloClient legitimate;

  @BeforeEach
  void start() throws Exception {
    server =
        ChildJvm.start(
            "server",
            Stream.concat(
                    Stream.of("-Xmx512m", "-XX:MaxDirectMemorySize=512m"),
                    NettyLeaks.JVM_FLAGS.stream())
                .toList(),
            ServerMain.class,
            "--token",
            TOKEN);
    port = Integer.parseInt(server.awaitReady().substring("listening ".length()));
    legitimate =
        HelloClient.builder()
            .target("127.0.0.1:" + port)
            .token(TOKEN)
            .allowTokenOverPlaintext()
            .maxMessageSize(2 * (int) MIB)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    legitimate.close();
    server.close();
    assertThat(server.stderr()).doesNotContain("OutOfMemoryError");
  }

  /** A legitimate client's 1 MB Hello, answered. */
  private void assertServed() {
    String name = "n".repeat((int) MIB);
    assertThat(legitimate.hello(name)).hasSize(name.length() + "hello:".length());
  }

  /**
   * Repeats {@code round}, each on a fresh connection, for {@link #ATTACK}, checking a legitimate
   * Hello after each; the connections stay open until the end unless {@code closeEach}.
   */
  private void sustain(
      String attack, String token, boolean closeEach, ThrowingRound round, Runnable whileOpen)
      throws Exception {
    long peakDirect = 0;
    long peakHeap = 0;
    int rounds = 0;
    List<RawPeer> open = new ArrayList<>();
    long end = System.nanoTime() + ATTACK.toNanos();
    try {
      while (System.nanoTime() < end) {
        RawPeer attacker = new RawPeer(port, token);
        open.add(attacker);
        round.run(attacker);
        if (closeEach) {
          attacker.close();
        }
        rounds++;
        peakDirect = Math.max(peakDirect, server.askLong("direct"));
        peakHeap = Math.max(peakHeap, server.askLong("heap"));
        assertServed();
      }
      whileOpen.run();
      peakDirect = Math.max(peakDirect, server.askLong("direct"));
    } finally {
      open.forEach(RawPeer::close);
    }
    System.out.printf(
        "%s: %d rounds on fresh connections; server peak direct memory %d MiB, heap after GC at"
            + " most %d MiB (bound %d MiB, -Xmx512m -XX:MaxDirectMemorySize=512m)%n",
        attack, rounds, peakDirect / MIB, peakHeap / MIB, BOUND / MIB);
    assertThat(peakDirect).as("peak direct memory").isLessThan(BOUND);
    assertThat(peakHeap).as("heap after GC").isLessThan(BOUND);
  }

  @FunctionalInterface
  private interface ThrowingRound {
    void run(RawPeer attacker) throws Exception;
  }

  /**
   * Without a token: 150 health checks of 4 MiB each on one connection, never half-closed. Health
   * answers anyone, so the fix cannot be the token: a health request over 64 KiB costs the client
   * its connection, long before it is whole.
   */
  @Test
  void largeHealthChecksThatNeverFinishTakeNoMemory() throws Exception {
    byte[] fourMiB = RawPeer.message("h".repeat(LARGEST_TEXT));
    sustain(
        "150 health checks of 4 MiB per connection, no token, never half-closed",
        null,
        true,
        attacker -> {
          List<RawPeer.Call> calls = new ArrayList<>();
          for (int i = 0; i < 150; i++) {
            calls.add(attacker.open(RawPeer.HEALTH_CHECK).send(fourMiB));
          }
          for (RawPeer.Call call : calls) {
            assertThat(call.awaitEnd(Duration.ofSeconds(30)).getCode())
                .isEqualTo(Status.Code.UNAVAILABLE); // the connection was cut
          }
        },
        () ->
            Waiting.until(
                "the server says why it cut the connections",
                () -> server.stderr().contains("a message of more than 65536 bytes")));
  }

  /**
   * Without a token: health checks small enough to pass (60 KiB), on 150 streams per connection,
   * never half-closed, connections kept: the server counts what it holds for them against its
   * byte budget, and lets go of each at the request timeout (10 s).
   */
  @Test
  void smallHealthChecksThatNeverFinishAreHeldOnlyUntilTheirTimeout() throws Exception {
    byte[] sixtyKiB = RawPeer.message("h".repeat(60 * 1024));
    sustain(
        "150 health checks of 60 KiB per connection, no token, never half-closed, kept",
        null,
        false,
        attacker -> {
          for (int i = 0; i < 150; i++) {
            attacker.open(RawPeer.HEALTH_CHECK).send(sixtyKiB);
          }
        },
        () -> {});
  }

  /**
   * With the token: Hellos of 4 MiB whose replies the client never reads, 30 per connection,
   * each connection kept: the server holds each request and reply until the call ends, so past
   * its byte budget it cuts the connection holding the most.
   */
  @Test
  void largeHellosWhoseRepliesAreNeverReadAreBoundedByTheByteBudget() throws Exception {
    byte[] fourMiB = RawPeer.message("x".repeat(LARGEST_TEXT));
    sustain(
        "30 Hellos of 4 MiB per connection, replies never read, connections kept",
        TOKEN,
        false,
        attacker -> {
          for (int i = 0; i < 30; i++) {
            attacker.open(RawPeer.HELLO).send(fourMiB).halfClose(); // never reads the reply
          }
        },
        // Each connection offers 240 MiB: the budget cuts one once the server has read enough.
        () ->
            Waiting.until(
                "the server cuts a connection for its byte budget",
                () -> server.stderr().contains("over its maxBufferedBytes of 64.0 MiB")));
  }
}
