package io.hellogrpc.client;

import static io.hellogrpc.api.StatusCode.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.internal.TransportThreads;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HelloClient#close()}: when it returns, every session the client opened has ended, each
 * listener has had exactly one end callback, and nothing a reader takes afterwards is lost.
 */
@Timeout(60)
class ClientCloseTest {
  private static final ChatEnd CLIENT_CLOSED =
      new ChatEnd(StatusCode.CANCELLED, "the HelloClient was closed");

  private HelloServer server;
  private HelloClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  /** The default server, over Netty on 127.0.0.1 or in-process. */
  private void start(String transport, Duration grace) throws Exception {
    HelloServer.Builder builder = HelloServer.builder();
    HelloClient.Builder clientBuilder =
        HelloClient.builder().receiveBufferSize(4).shutdownGracePeriod(grace);
    if (transport.equals("netty")) {
      server = builder.host("127.0.0.1").port(0).start();
      clientBuilder.target("127.0.0.1:" + server.port());
    } else {
      String name = "close-" + UUID.randomUUID();
      server = builder.inProcess(name).start();
      clientBuilder.inProcess(name);
    }
    client = clientBuilder.build();
  }

  /**
   * The server answered everything and completed, but the replies wait in grpc behind a full
   * receive buffer, so grpc has not delivered the end: the channel terminates all the same. The
   * session must still be ended by close(), and reading afterwards must fail cleanly.
   */
  @ParameterizedTest
  @ValueSource(strings = {"netty", "in-process"})
  void aSessionWhoseRepliesNobodyReadsIsEndedByCloseSayingWhy(String transport) throws Exception {
    start(transport, Duration.ofMillis(300));
    ChatSession chat = client.openChat();
    for (int i = 0; i < 200; i++) {
      chat.send("m" + i);
    }
    chat.complete();

    client.close();

    assertThat(chat.end()).contains(CLIENT_CLOSED);
    assertThatThrownBy(() -> chat.poll(Duration.ZERO))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.description()).isEqualTo(CLIENT_CLOSED.description()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "in-process"})
  void aSessionThatFinishesWithinTheGraceEndsNormally(String transport) throws Exception {
    start(transport, Duration.ofSeconds(30));
    ChatSession chat = client.openChat();
    for (int i = 0; i < 200; i++) {
      chat.send("m" + i);
    }
    chat.complete();
    Background<Integer> reader =
        Background.start(
            "reader",
            () -> {
              int read = 0;
              while (chat.receive() != null) {
                read++;
              }
              return read;
            });

    client.close();

    assertThat(chat.end()).contains(ChatEnd.completed());
    assertThat(reader.get()).isEqualTo(200);
  }

  /**
   * A listener busy in onMessage while the grace runs out: close() cancels the session, the
   * callback in progress finishes, no further onMessage runs, and the end callback comes once,
   * before close() returns.
   */
  @Test
  void everyListenerHearsTheEndOnceBeforeCloseReturns() throws Exception {
    start("in-process", Duration.ofMillis(100));
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    ChatSession chat =
        client.openChat(
            new ChatListener() {
              @Override
              public void onMessage(ChatSession session, String message) {
                events.add(message);
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              @Override
              public void onCompleted(ChatSession session) {
                events.add("completed");
              }

              @Override
              public void onError(ChatSession session, HelloException error) {
                events.add("error " + error.code() + ": " + error.description());
              }
            });
    for (int i = 0; i < 100; i++) {
      chat.send("m" + i);
    }
    Background<Void> closer =
        Background.start(
            "closer",
            () -> {
              client.close();
              return null;
            });
    Background.start("wait for the cancel", () -> chat.awaitEnd(Duration.ofSeconds(10))).get();
    assertThat(chat.end()).contains(CLIENT_CLOSED);

    release.countDown();
    closer.get();

    assertThat(events)
        .containsExactly("hello:m0", "error CANCELLED: the HelloClient was closed");
  }

  @Test
  void anInterruptedCloseEndsSessionsWithTheClientsReason() throws Exception {
    start("in-process", Duration.ofSeconds(30));
    ChatSession chat = client.openChat();
    chat.send("unread");
    Background<Boolean> closer =
        Background.start(
            "closer",
            () -> {
              client.close();
              return Thread.currentThread().isInterrupted();
            })
            .untilBlocked();

    closer.thread().interrupt();

    assertThat(closer.get()).as("the interrupt flag, set again").isTrue();
    assertThat(chat.end()).contains(CLIENT_CLOSED);
  }

  @Test
  void closeReturnsAtOnceWhenNothingIsOpen() throws Exception {
    start("in-process", Duration.ofSeconds(30));
    try (ChatSession chat = client.openChat()) {
      chat.send("x");
      assertThat(chat.receive()).isEqualTo("hello:x");
      chat.complete();
      assertThat(chat.receive()).isNull();
    }
    long start = System.nanoTime();
    client.close();
    // The 30 s grace is not waited out: generous, for a loaded machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThatThrownBy(client::openChat)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the HelloClient is closed");
  }

  /**
   * Calls racing close() over TCP, round after round: each is answered, refused because the client
   * is closed, or ended with grpc's status for a channel shutting down (UNAVAILABLE, CANCELLED),
   * never failed by an event loop or timer that close() has stopped; and close() returns.
   */
  @Test
  void callsRacingCloseAreAnsweredOrRefusedNeverFailedByWhatCloseStopped() throws Exception {
    server = HelloServer.builder().host("127.0.0.1").port(0).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    for (int round = 0; round < 200 && System.nanoTime() < until; round++) {
      client = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
      assertThat(client.hello("warm")).isEqualTo("hello:warm");
      CountDownLatch calling = new CountDownLatch(3);
      List<Background<Integer>> callers =
          List.of(
              callUntilClosed(
                  "hello-" + round, calling, () -> client.hello("x"), "hello:x", UNAVAILABLE),
              callUntilClosed(
                  "helloAsync-" + round,
                  calling,
                  () -> client.helloAsync("y").get(10, TimeUnit.SECONDS),
                  "hello:y",
                  UNAVAILABLE),
              callUntilClosed(
                  "openChat-" + round,
                  calling,
                  () -> {
                    try (ChatSession chat = client.openChat()) {
                      chat.send("z");
                      return chat.poll(Duration.ofSeconds(10));
                    }
                  },
                  "hello:z",
                  UNAVAILABLE,
                  StatusCode.CANCELLED));
      assertThat(calling.await(10, TimeUnit.SECONDS)).as("every caller has called").isTrue();
      client.close();
      for (Background<Integer> caller : callers) {
        assertThat(caller.get()).as(caller.thread().getName() + "'s calls").isPositive();
      }
    }
  }

  /**
   * A listener that closes the client on the thread of the hello() it is told about: close() does
   * not wait for that call, which cannot end before close() returns, and the client's threads stop
   * as it ends.
   */
  @Test
  void closeFromAListenerOnAHellosOwnThreadNeitherWaitsForItNorLeavesThreads() throws Exception {
    server = HelloServer.builder().host("127.0.0.1").port(0).start();
    AtomicReference<HelloClient> self = new AtomicReference<>();
    Set<Thread> before = TransportThreads.now();
    Set<Thread> loops = ConcurrentHashMap.newKeySet();
    client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .shutdownGracePeriod(Duration.ofSeconds(30))
            .eventListener(
                new HelloEventListener() {
                  @Override
                  public void helloEnded(StatusCode status, Duration latency) {
                    loops.addAll(TransportThreads.startedSince(before));
                    self.get().close();
                  }
                })
            .build();
    self.set(client);
    long start = System.nanoTime();

    assertThat(client.hello("x")).isEqualTo("hello:x");

    // Not the 30 s grace (nor the class's 60 s timeout): generous, for a loaded machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThatThrownBy(() -> client.hello("y"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the HelloClient is closed");
    assertThat(loops).as("the connection's loop, running as close() was called").hasSize(1);
    Waiting.until(
        "the client's transport threads end as the hello() leaves",
        () -> loops.stream().noneMatch(Thread::isAlive));
  }

  /** Calls until the client says it is closed; returns how many calls it made. */
  private static Background<Integer> callUntilClosed(
      String name,
      CountDownLatch calling,
      Callable<String> call,
      String answer,
      StatusCode... endings) {
    return Background.start(
        name,
        () -> {
          for (int calls = 0; ; calls++) {
            try {
              String reply = call.call();
              if (reply != null) { // a session's reply may not come before the channel goes
                assertThat(reply).isEqualTo(answer);
              }
            } catch (IllegalStateException refused) {
              assertThat(refused).hasMessage("the HelloClient is closed");
              return calls;
            } catch (HelloException | ExecutionException ended) {
              Throwable failure = ended instanceof ExecutionException ? ended.getCause() : ended;
              assertThat(failure).isInstanceOf(HelloException.class);
              assertThat(((HelloException) failure).code()).isIn((Object[]) endings);
            } finally {
              if (calls == 0) {
                calling.countDown(); // once per caller
              }
            }
          }
        });
  }
}
