package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that would fill a server's memory if it let them: many streams that never read, and a
 * flood far faster than the handler. The server runs in a JVM with a 64 MiB heap, and so 64 MiB
 * of direct memory, where Netty keeps the bytes it has received and grpc has not decoded yet; it
 * must neither run out of either nor stop serving, and its heap in use after a full collection and
 * the direct memory Netty holds must each stay under a bound while the attack goes on.
 */
@Timeout(120)
@ExtendWith(NoNettyLeaks.class)
class BoundedHeapTest {
  private static final String HEAP = "-Xmx64m";
  private static final long MIB = 1024 * 1024;
  /**
   * Half the heap, and half the direct memory: far less than the attacks send, far more than an
   * idle server holds.
   */
  private static final long BOUND = 32 * MIB;

  /** The most the server held while an attack went on, sampled. */
  private record Peaks(long heap, long direct) {}

  private ChildJvm server;
  private int port;

  private void startServer(String... options) throws Exception {
    server =
        ChildJvm.start(
            "server",
            Stream.concat(
                    Stream.of(
                        HEAP,
                        "-XX:+UseSerialGC", // a 64 MiB heap needs no more, and collects at once
                        "-XX:+ExitOnOutOfMemoryError"),
                    NettyLeaks.JVM_FLAGS.stream())
                .toList(),
            ServerMain.class,
            options);
    port = Integer.parseInt(server.awaitReady().substring("listening ".length()));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      assertThat(server.askLong("leaks")).as("Netty leak reports in the server").isZero();
      server.close();
      // Netty's own OutOfDirectMemoryError does not contain "OutOfMemoryError".
      assertThat(server.stderr()).doesNotContain("OutOfMemoryError", "OutOfDirectMemoryError");
    }
  }

  /**
   * The server's heap in use after a full collection, and the direct memory Netty holds, sampled
   * while {@code attacking} holds.
   */
  private Peaks peaksWhile(java.util.function.BooleanSupplier attacking, int atLeastSamples)
      throws Exception {
    long heap = 0;
    long direct = 0;
    int samples = 0;
    while (samples < atLeastSamples || attacking.getAsBoolean()) {
      heap = Math.max(heap, server.askLong("heap"));
      direct = Math.max(direct, server.askLong("direct"));
      samples++;
      if (samples >= 50) {
        break;
      }
      // The delay is the point: samples spread over the attack, not a wait for an event.
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    return new Peaks(heap, direct);
  }

  /** Each call ends CANCELLED, or the failure says why, with what the server printed. */
  private void assertCancelled(List<RawPeer.Call> calls, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    for (RawPeer.Call call : calls) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      assertThat(call.awaitEnd(left).getCode())
          .as(() -> "how a cancelled call ended; the server's stderr:\n" + server.stderr())
          .isEqualTo(Status.Code.CANCELLED);
    }
  }

  private void assertServesOthers() throws Exception {
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build();
        ChatSession chat = client.openChat()) {
      assertThat(client.hello("still serving")).isEqualTo("hello:still serving");
      chat.send("and chatting");
      assertThat(chat.receive()).isEqualTo("hello:and chatting");
    }
  }

  /**
   * A session buffers at most receiveBufferSize messages, so the streams can make the server hold
   * about streams x receiveBufferSize x message size (here 100 x 16 x 8 KiB: 12.5 MiB) while they
   * offer 62.5 MiB. The buffer counts messages, not bytes: size it with maxMessageSize in mind.
   * Behind the buffers, what HTTP/2 flow control lets in and grpc has not decoded waits in direct
   * memory: when grpc's auto-tuning let the windows grow with the flood, the server took 60-90 MiB
   * of it, ran out and dropped the connection, and calls that never read never ended.
   */
  @Test
  void manyStreamsThatNeverReadHoldNoMoreThanTheirBuffers() throws Exception {
    startServer("--receive-buffer-size", "16");
    long idle = server.askLong("heap");
    int streams = 100;
    int perStream = 80;
    byte[] message = RawPeer.message("m".repeat(8 * 1024));
    try (RawPeer raw = new RawPeer(port)) {
      List<RawPeer.Call> calls = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        calls.add(raw.open(RawPeer.CHANNEL).send(message)); // never reads a reply
      }
      Waiting.until("the server has every stream", () -> ask("sessions") == streams);
      for (RawPeer.Call call : calls) {
        for (int i = 1; i < perStream; i++) {
          call.send(message); // ignoring flow control: grpc buffers what it cannot send, here
        }
      }

      // Some 10 s of attack: auto-tuned windows grew over seconds, to 38-40 MiB by then.
      Peaks peak = peaksWhile(() -> false, 40);
      assertServesOthers();
      System.out.printf(
          "%d streams that never read, %d MiB offered: server heap after GC %d MiB idle, "
              + "%d MiB at most under attack, direct memory %d MiB at most (bounds %d MiB,"
              + " -Xmx64m)%n",
          streams, (long) streams * perStream * message.length / MIB, idle / MIB,
          peak.heap() / MIB, peak.direct() / MIB, BOUND / MIB);
      assertThat(peak.heap()).as("heap").isLessThan(BOUND);
      assertThat(peak.direct()).as("direct memory").isNotNegative().isLessThan(BOUND);

      calls.forEach(RawPeer.Call::cancel);
      assertCancelled(calls, Duration.ofSeconds(30));
    }
    Waiting.until("the server frees every stream", () -> ask("sessions") == 0);
  }

  @Test
  void aFloodFasterThanTheHandlerIsHeldBackNotBuffered() throws Exception {
    startServer("--reply-delay-ms", "1");
    long idle = server.askLong("heap");
    int count = 4_096;
    String filler = "f".repeat(16 * 1024);
    try (RawPeer raw = new RawPeer(port)) {
      RawPeer.Call flood = raw.open(RawPeer.CHANNEL).read(Integer.MAX_VALUE);
      for (int i = 0; i < count; i++) {
        flood.send(RawPeer.message(i + ":" + filler)); // 64 MiB, all at once, ignoring isReady
      }
      flood.halfClose();

      Peaks peak = peaksWhile(() -> flood.replies.size() < count / 2, 3);
      assertServesOthers();
      System.out.printf(
          "flood of %d MiB against a 1 ms/message handler: server heap after GC %d MiB idle, "
              + "%d MiB at most during the flood, direct memory %d MiB at most (bounds %d MiB,"
              + " -Xmx64m)%n",
          (long) count * filler.length() / MIB, idle / MIB, peak.heap() / MIB,
          peak.direct() / MIB, BOUND / MIB);
      assertThat(peak.heap()).as("heap").isLessThan(BOUND);
      assertThat(peak.direct()).as("direct memory").isNotNegative().isLessThan(BOUND);

      assertThat(flood.awaitEnd(Duration.ofSeconds(60)).getCode()).isEqualTo(Status.Code.OK);
      assertThat(flood.replies).hasSize(count);
      for (int i = 0; i < count; i++) {
        assertThat(RawPeer.value(flood.replies.get(i))).startsWith("hello:" + i + ":");
      }
    }
    Waiting.until("the server frees the stream", () -> ask("sessions") == 0);
  }

  private long ask(String command) {
    try {
      return server.askLong(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
