package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's channels each get an event loop group of exactly one loop (one per address, for a
 * client of several), so that grpc puts a call's deadline timer on the loop that carries the call;
 * groups are shared once there are as many loops as cores, and they end with the client.
 */
@Timeout(60)
class ClientEventLoopsTest {

  @Test
  void eachChannelGetsAGroupOfOneLoopUntilTheMostThenSharesThemInTurn() throws Exception {
    ClientEventLoops loops = new ClientEventLoops(2, 1);
    try {
      List<EventLoopGroup> handedOut = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        handedOut.add(loops.forNewChannel());
      }

      assertThat(new HashSet<>(handedOut)).as("two groups").hasSize(2);
      assertThat(handedOut.get(0)).isNotSameAs(handedOut.get(1));
      assertThat(handedOut)
          .containsExactly(
              handedOut.get(0), handedOut.get(1), handedOut.get(0), handedOut.get(1),
              handedOut.get(0));
      for (EventLoopGroup group : handedOut) {
        assertThat(loopsOf(group)).as("the loops of one channel's group").hasSize(1);
        assertThat(group.next()).isSameAs(loopsOf(group).get(0));
      }
    } finally {
      loops.shutdown();
    }
    assertThat(loops.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
  }

  @Test
  void aClientOfSeveralAddressesGetsALoopPerAddressUpToTheMost() throws Exception {
    ClientEventLoops wide = new ClientEventLoops(8, 3);
    ClientEventLoops narrow = new ClientEventLoops(2, 3);
    try {
      EventLoopGroup first = wide.forNewChannel();
      EventLoopGroup second = wide.forNewChannel();
      assertThat(loopsOf(first)).hasSize(3);
      assertThat(second).isNotSameAs(first);
      assertThat(wide.forNewChannel()).as("8 loops make two groups of 3").isSameAs(first);

      EventLoopGroup only = narrow.forNewChannel();
      assertThat(loopsOf(only)).hasSize(2);
      assertThat(narrow.forNewChannel()).isSameAs(only);
    } finally {
      wide.shutdown();
      narrow.shutdown();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    assertThat(wide.awaitTermination(deadline)).isTrue();
    assertThat(narrow.awaitTermination(deadline)).isTrue();
  }

  @Test
  void transportThreadsAreOnePerCoreAtMostAndEndWithTheClient() throws Exception {
    int connections = Runtime.getRuntime().availableProcessors() + 2;
    Set<Thread> before = TransportThreads.now();
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start()) {
      Set<Thread> during = new HashSet<>();
      try (HelloClient client =
          HelloClient.builder()
              .target("127.0.0.1:" + server.port())
              .maxConcurrentCallsPerConnection(1) // a connection per session
              .build()) {
        List<ChatSession> sessions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
          ChatSession chat = client.openChat();
          chat.send("m" + i);
          assertThat(chat.poll(Duration.ofSeconds(10))).isEqualTo("hello:m" + i);
          sessions.add(chat);
        }
        assertThat(server.activeSessions()).isEqualTo(connections);
        during.addAll(TransportThreads.now());
        during.removeAll(before);
        assertThat(during)
            .as("the client's transport threads, with %d connections open", connections)
            .hasSize(Runtime.getRuntime().availableProcessors());
        sessions.forEach(ChatSession::cancel);
      }
      // close() waits until the loops have terminated; each thread's last steps follow that.
      Waiting.until(
          "the client's transport threads end after close()",
          () -> during.stream().noneMatch(Thread::isAlive));
    }
  }

  @Test
  void aClientOfTwoServersConnectsToThemOnTwoLoopsWhereThereAreTwoCores() throws Exception {
    Set<Thread> before = TransportThreads.now();
    try (HelloServer first = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloServer second = HelloServer.builder().host("127.0.0.1").port(0).start()) {
      Set<Thread> during = new HashSet<>();
      try (HelloClient client =
          HelloClient.builder()
              .addresses("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port())
              .build()) {
        int expected = Math.min(2, Runtime.getRuntime().availableProcessors());
        assertThat(client.hello("a")).isEqualTo("hello:a"); // round_robin connects to both
        Waiting.until(
            "both connections registered on the client's loops",
            () -> TransportThreads.startedSince(before).size() >= expected);
        during.addAll(TransportThreads.startedSince(before));
        assertThat(during).as("one channel, connected to two servers").hasSize(expected);
      }
      Waiting.until(
          "the client's transport threads end after close()",
          () -> during.stream().noneMatch(Thread::isAlive));
    }
  }

  private static List<EventExecutor> loopsOf(EventLoopGroup group) {
    List<EventExecutor> loops = new ArrayList<>();
    group.iterator().forEachRemaining(loops::add);
    return loops;
  }
}
