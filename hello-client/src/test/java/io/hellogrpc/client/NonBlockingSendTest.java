package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ChatSession#trySend} and {@link ChatSession#whenReady}: the non-blocking path. */
@Timeout(60)
class NonBlockingSendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final LogCapture logs = new LogCapture();
  private InProcessPair pair;
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private ExecutorService pool(String name) {
    ExecutorService pool =
        Executors.newSingleThreadExecutor(task -> new Thread(task, name));
    pools.add(pool);
    return pool;
  }

  /** A server whose handler reads nothing until {@code reading} opens: the client fills up. */
  private void startStalledServer(CountDownLatch reading) throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .receiveBufferSize(4)
                .onChat(
                    session -> {
                      reading.await();
                      for (String message : session.messages()) {
                        session.send("hello:" + message);
                      }
                    }));
  }

  /** trySends until one takes nothing; the messages it took, numbered from {@code from}. */
  private static int fill(ChatSession chat, int from) {
    int taken = 0;
    while (chat.trySend("m" + (from + taken))) {
      taken++;
      assertThat(taken).as("trySend takes nothing once the server stops reading").isLessThan(1000);
    }
    return taken;
  }

  private static List<String> replies(ChatSession chat, int count)
      throws InterruptedException {
    List<String> got = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      got.add(chat.poll(WAIT));
    }
    return got;
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void trySendSendsAndTheRepliesComeBackInOrder() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();

    assertThat(chat.trySend("a")).isTrue();
    assertThat(chat.poll(WAIT)).isEqualTo("hello:a");
    assertThat(chat.trySend("b")).isTrue();
    assertThat(chat.poll(WAIT)).isEqualTo("hello:b");
    assertThat(chat.sentCount()).isEqualTo(2);
    chat.complete();
    assertThat(chat.receive()).isNull();
    assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
  }

  @Test
  void trySendTakesNothingWhileTheServerCannotTakeMoreAndWhenReadySaysWhenItCan()
      throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    startStalledServer(reading);
    ChatSession chat = pair.client.openChat();

    int taken = fill(chat, 0);
    assertThat(taken).isPositive();
    assertThat(chat.sentCount()).isEqualTo(taken);
    CountDownLatch ready = new CountDownLatch(1);
    chat.whenReady(ready::countDown);
    assertThat(ready.getCount()).as("the transport is still full").isEqualTo(1);

    reading.countDown(); // the server reads: the transport can take more
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    int more = fill(chat, taken);
    assertThat(more).isPositive();
    chat.complete();

    List<String> got = replies(chat, taken + more);
    assertThat(got).isEqualTo(numbered("hello:m", taken + more));
    assertThat(chat.receive()).isNull();
    assertThat(chat.sentCount()).isEqualTo(taken + more);
  }

  @Test
  void whenReadyTasksRunOnTheCallbackExecutorOncePerCall() throws Exception {
    ExecutorService callbacks = pool("callbacks");
    pair =
        InProcessPair.start(HelloServer.builder(), client -> client.callbackExecutor(callbacks));
    ChatSession chat = pair.client.openChat();

    CompletableFuture<String> ranOn = new CompletableFuture<>();
    AtomicInteger runs = new AtomicInteger();
    chat.whenReady(
        () -> {
          runs.incrementAndGet();
          ranOn.complete(Thread.currentThread().getName());
        });

    assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo("callbacks");
    chat.trySend("a"); // readiness comes and goes again: the task ran once
    assertThat(chat.poll(WAIT)).isEqualTo("hello:a");
    callbacks.submit(() -> {}).get(); // after anything the executor had queued
    assertThat(runs).hasValue(1);
  }

  @Test
  void aWhenReadyTaskWaitingWhenTheSessionEndsRunsAndTrySendThenSaysHow() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    startStalledServer(reading);
    ChatSession chat = pair.client.openChat();
    fill(chat, 0);
    CountDownLatch ran = new CountDownLatch(1);
    chat.whenReady(ran::countDown);

    chat.cancel();

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> chat.trySend("late"))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
    CountDownLatch late = new CountDownLatch(1);
    chat.whenReady(late::countDown); // sending has ended: at once
    assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
    reading.countDown();
  }

  @Test
  void trySendAfterCompleteOrTheServersEndThrowsWhatSendThrows() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      for (String message : session.messages()) {
                        if (message.equals("end")) {
                          return; // completes the session
                        }
                      }
                    }));
    ChatSession completed = pair.client.openChat();
    assertThat(completed.trySend("end")).isTrue();
    assertThat(completed.awaitEnd(WAIT)).contains(ChatEnd.completed());
    assertThatThrownBy(() -> completed.trySend("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ended normally");

    ChatSession halfClosed = pair.client.openChat();
    halfClosed.complete();
    assertThatThrownBy(() -> halfClosed.trySend("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("complete() was called");
    assertThatThrownBy(() -> halfClosed.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("complete() was called");
  }

  @Test
  void trySendRefusesNullAndTooLargeMessagesAndTheSessionCarriesOn() throws Exception {
    pair = InProcessPair.start(HelloServer.builder(), client -> client.maxMessageSize(16));
    ChatSession chat = pair.client.openChat();

    assertThatThrownBy(() -> chat.trySend(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> chat.trySend("x".repeat(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMessageSize");
    assertThatThrownBy(() -> chat.trySend("a\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate");
    assertThat(chat.trySend("ok")).isTrue();
    assertThat(chat.poll(WAIT)).isEqualTo("hello:ok");
    assertThat(chat.sentCount()).isEqualTo(1);
  }

  @Test
  void messagesTakenBySendAndTrySendGoOutInTheOrderTaken() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String message = "m" + i;
      if (i % 3 == 0) {
        chat.send(message);
        sent.add(message);
      } else if (chat.trySend(message)) {
        sent.add(message);
      }
    }
    chat.complete();

    List<String> got = new ArrayList<>();
    for (String reply : chat.replies()) {
      got.add(reply);
    }
    assertThat(got).isEqualTo(sent.stream().map(m -> "hello:" + m).toList());
    assertThat(chat.sentCount()).isEqualTo(sent.size());
  }

  @Test
  void aWhenReadyTaskThatThrowsCancelsTheSession() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    IllegalStateException bug = new IllegalStateException("the application's bug");

    chat.whenReady(
        () -> {
          throw bug;
        });

    assertThat(chat.awaitEnd(WAIT))
        .hasValueSatisfying(
            end -> {
              assertThat(end.code()).isEqualTo(StatusCode.CANCELLED);
              assertThat(end.description()).isEqualTo("a whenReady task threw " + bug);
            });
    assertThatThrownBy(chat::receive)
        .isInstanceOfSatisfying(HelloException.class, e -> assertThat(e).hasCause(bug));
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("a whenReady task threw; the session is cancelled")
        .contains("the application's bug");
  }

  @Test
  void aTaskTheExecutorRefusesCancelsTheSessionAndRunsOnTheRefusedThread() throws Exception {
    ExecutorService callbacks = pool("callbacks");
    pair =
        InProcessPair.start(HelloServer.builder(), client -> client.callbackExecutor(callbacks));
    ChatSession chat = pair.client.openChat();
    callbacks.shutdown();
    assertThat(callbacks.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

    AtomicReference<String> ranOn = new AtomicReference<>();
    chat.whenReady(() -> ranOn.set(Thread.currentThread().getName()));

    assertThat(ranOn).hasValue(Thread.currentThread().getName());
    assertThat(chat.end())
        .hasValueSatisfying(
            end -> {
              assertThat(end.code()).isEqualTo(StatusCode.CANCELLED);
              assertThat(end.description())
                  .startsWith("the callback executor refused to run a whenReady task");
            });
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("the callback executor refused a whenReady task")
        .contains(RejectedExecutionException.class.getName());
  }

  /**
   * The event-loop style the README shows: one thread sends with trySend and, when it takes
   * nothing, comes back through whenReady; a reader on another thread checks every reply.
   */
  @Test
  void anEventLoopSendsTenThousandMessagesWithoutEverBlocking() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().receiveBufferSize(4));
    ChatSession chat = pair.client.openChat();
    ExecutorService loop = pool("event-loop");
    int count = 10_000;
    AtomicInteger next = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (next.get() < count) {
            if (!chat.trySend("m" + next.get())) {
              chat.whenReady(() -> loop.execute(pump[0]));
              return;
            }
            next.incrementAndGet();
          }
          chat.complete();
          done.complete(null);
        };
    loop.execute(pump[0]);

    for (int i = 0; i < count; i++) {
      assertThat(chat.poll(WAIT)).isEqualTo("hello:m" + i);
    }
    assertThat(chat.receive()).isNull();
    done.get(10, TimeUnit.SECONDS);
    assertThat(chat.sentCount()).isEqualTo(count);
    assertThat(chat.end()).contains(ChatEnd.completed());
  }
}
