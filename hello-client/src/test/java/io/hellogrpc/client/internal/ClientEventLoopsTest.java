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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's channels each get an event loop group of exactly one loop, so that grpc puts a call's
 * deadline timer on the loop that carries the call; loops are shared once there are as many as
 * the most, and they end with the client.
 */
@Timeout(60)
class ClientEventLoopsTest {

  @Test
  void eachChannelGetsAGroupOfOneLoopUntilTheMostThenSharesThemInTurn() throws Exception {
    ClientEventLoops loops = new ClientEventLoops(2);
    assertThat(loops.size()).as("no loop before a channel asks for one").isZero();

    List<EventLoopGroup> handedOut = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      handedOut.add(loops.forNewChannel());
    }

    assertThat(loops.size()).isEqualTo(2);
    assertThat(handedOut.get(0)).isNotSameAs(handedOut.get(1));
    assertThat(handedOut)
        .containsExactly(
            handedOut.get(0), handedOut.get(1), handedOut.get(0), handedOut.get(1),
            handedOut.get(0));
    for (EventLoopGroup group : handedOut) {
      List<EventExecutor> members = new ArrayList<>();
      group.iterator().forEachRemaining(members::add);
      assertThat(members).as("the loops of one channel's group").hasSize(1);
      assertThat(group.next()).isSameAs(members.get(0));
    }

    loops.shutdown();
    assertThat(loops.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
    assertThat(handedOut).allMatch(EventLoopGroup::isTerminated);
  }

  @Test
  void transportThreadsAreOnePerCoreAtMostAndEndWithTheClient() throws Exception {
    int connections = Runtime.getRuntime().availableProcessors() + 2;
    Set<Thread> before = transportThreads();
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
        during.addAll(transportThreads());
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

  private static Set<Thread> transportThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("hello-client-transport"))
        .collect(Collectors.toSet());
  }
}
