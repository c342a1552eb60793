package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatFlow;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.server.ServerSession;
import io.hellogrpc.testing.Rounds;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process transport runs the peer's callbacks on the calling thread: a {@code send} runs the
 * other side's {@code onReady} and {@code onMessage} inside it. Both sides sending at once, with
 * small buffers so that flow control turns over constantly, and cancels, ends and shutdowns racing
 * those sends, round after round: a lock held across a call into grpc shows here as a round that
 * never finishes, and the report names the threads.
 */
@Timeout(600)
class InProcessStressTest {
  private static final int MESSAGES = 2_000;
  private static final Duration ROUND = Duration.ofSeconds(20);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final String name = "stress-" + UUID.randomUUID();
  /** What each server session saw; room for the scenario with the most sessions at once (8). */
  private final BlockingQueue<ServerOutcome> outcomes = new ArrayBlockingQueue<>(16);
  private HelloServer server;
  private HelloClient client;
  private final ExecutorService eventLoop =
      Executors.newSingleThreadExecutor(task -> new Thread(task, "event-loop"));

  /** What the server side of one session read, and how it ended there. */
  private record ServerOutcome(List<String> read, ChatEnd end) {}

  @AfterEach
  void stop() throws InterruptedException {
    eventLoop.shutdownNow();
    assertThat(eventLoop.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(WAIT)).isTrue();
    }
  }

  /**
   * An onChat handler that reads on a thread of its own while it sends {@code replies} replies,
   * optionally ending the session after {@code endAfter} of them, and reports what it read and how
   * the session ended.
   */
  private void startServer(int replies, int endAfter, StatusCode endWith) throws Exception {
    server =
        HelloServer.builder()
            .inProcess(name)
            .receiveBufferSize(4)
            .onChat(
                session -> {
                  CompletableFuture<List<String>> read = readAll("server-reader", session::receive);
                  try {
                    for (int i = 0; i < replies; i++) {
                      if (i == endAfter) {
                        end(session, endWith);
                        break;
                      }
                      session.send("reply-" + i);
                    }
                  } catch (HelloException | IllegalStateException ended) {
                    // the client cancelled or the session ended otherwise: the outcome says how
                  }
                  // The reader stops at the client's half-close or at the session's end.
                  List<String> got = read.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                  // Returning completes the session, if nothing ended it yet.
                  outcomes.add(new ServerOutcome(got, session.end().orElse(ChatEnd.completed())));
                })
            .start();
    client = HelloClient.builder().inProcess(name).receiveBufferSize(4).build();
  }

  private static void end(ServerSession session, StatusCode code) {
    if (code == StatusCode.OK) {
      session.complete();
    } else {
      session.fail(code, "the handler ended the session");
    }
  }

  /** Thrown by a reader when the session's input ends with an error. */
  private interface Take {
    String next() throws InterruptedException;
  }

  /** Reads on a new thread until the input ends; an error end completes the list so far. */
  private static CompletableFuture<List<String>> readAll(String threadName, Take take) {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              List<String> got = new ArrayList<>();
              try {
                for (String m = take.next(); m != null; m = take.next()) {
                  got.add(m);
                }
              } catch (HelloException ended) {
                // the session failed or was cancelled: what arrived before is the answer
              } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
              }
              result.complete(got);
            },
            threadName);
    reader.setDaemon(true);
    reader.start();
    return result;
  }

  /** Sends on a new thread; completes with how many sends returned, whatever stopped it. */
  private static CompletableFuture<Integer> sendAll(ChatSession chat, int count, boolean complete) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread sender =
        new Thread(
            () -> {
              int sent = 0;
              try {
                for (; sent < count; sent++) {
                  chat.send("m" + sent);
                }
                if (complete) {
                  chat.complete();
                }
              } catch (HelloException | IllegalStateException ended) {
                // the session ended under the sender: how many got through is the answer
              } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
              }
              result.complete(sent);
            },
            "client-sender");
    sender.setDaemon(true);
    sender.start();
    return result;
  }

  /**
   * Sends as an event loop does, on {@code loop}: trySend until it takes nothing, then come back
   * when whenReady says so. Completes with how many messages trySend took, once all were taken
   * (and the session completed, if asked) or trySend threw because the session ended. A whenReady
   * task lost on the way would leave it waiting: the round then overruns.
   */
  private static CompletableFuture<Integer> trySendAll(
      ChatSession chat, String prefix, int count, boolean complete, Executor loop) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    AtomicInteger taken = new AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          try {
            while (taken.get() < count) {
              if (!chat.trySend(prefix + taken.get())) {
                chat.whenReady(() -> loop.execute(pump[0]));
                return;
              }
              taken.incrementAndGet();
            }
            if (complete) {
              chat.complete();
            }
          } catch (HelloException | IllegalStateException ended) {
            // the session ended under the sender: how many it took is the answer
          } catch (Throwable t) {
            result.completeExceptionally(t);
            return;
          }
          result.complete(taken.get());
        };
    loop.execute(pump[0]);
    return result;
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private static <T> T within(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void bothSidesSendWhileAnotherThreadOfEachReads() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    Rounds.run(
        "both sides sending",
        200,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = sendAll(chat, MESSAGES, true);
          CompletableFuture<List<String>> replies = readAll("client-reader", chat::receive);

          assertThat(within(sent)).isEqualTo(MESSAGES);
          assertThat(within(replies)).isEqualTo(numbered("reply-", MESSAGES));
          assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", MESSAGES));
        });
  }

  @Test
  void theClientCancelsWhileBothSidesSend() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    Rounds.run(
        "client cancel while both send",
        200,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = sendAll(chat, MESSAGES, true);
          for (int i = 0; i < 50; i++) {
            assertThat(chat.receive()).isEqualTo("reply-" + i);
          }
          chat.cancel();

          within(sent); // the sender woke
          assertThat(chat.end()).contains(new ChatEnd(StatusCode.CANCELLED, "cancelled by the client"));
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.end().code()).isEqualTo(StatusCode.CANCELLED);
          assertThat(server.read()).isEqualTo(numbered("m", server.read().size()));
        });
  }

  @Test
  void theServerFailsTheSessionWhileBothSidesSend() throws Exception {
    startServer(MESSAGES, 100, StatusCode.ABORTED);
    Rounds.run(
        "server fail while both send",
        200,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = sendAll(chat, MESSAGES, true);
          CompletableFuture<List<String>> replies = readAll("client-reader", chat::receive);

          within(sent);
          assertThat(within(replies)).isEqualTo(numbered("reply-", 100));
          assertThat(chat.awaitEnd(WAIT))
              .contains(new ChatEnd(StatusCode.ABORTED, "the handler ended the session"));
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.end().code()).isEqualTo(StatusCode.ABORTED);
        });
  }

  @Test
  void theServerCompletesWhileTheClientStillSends() throws Exception {
    startServer(MESSAGES, 100, StatusCode.OK);
    Rounds.run(
        "server complete while the client sends",
        200,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = sendAll(chat, MESSAGES, false);
          CompletableFuture<List<String>> replies = readAll("client-reader", chat::receive);

          within(sent);
          assertThat(within(replies)).isEqualTo(numbered("reply-", 100));
          assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.end()).isEqualTo(ChatEnd.completed());
        });
  }

  @Test
  void closingTheSessionWhileItSends() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    Rounds.run(
        "session close while sending",
        500,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = sendAll(chat, MESSAGES, true);
          for (int i = 0; i < 50; i++) {
            assertThat(chat.receive()).isEqualTo("reply-" + i);
          }
          chat.close();

          int sentBeforeClose = within(sent);
          assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", sentBeforeClose));
        });
  }

  // The non-blocking path: trySend and whenReady racing the transport's readiness and the end.

  @Test
  void aNonBlockingSenderAndTheServerSendAtOnce() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    Rounds.run(
        "trySend while the server sends",
        100,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = trySendAll(chat, "m", MESSAGES, true, eventLoop);
          CompletableFuture<List<String>> replies = readAll("client-reader", chat::receive);

          assertThat(within(sent)).isEqualTo(MESSAGES);
          assertThat(within(replies)).isEqualTo(numbered("reply-", MESSAGES));
          assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", MESSAGES));
          assertThat(chat.sentCount()).isEqualTo(MESSAGES);
        });
  }

  @Test
  void theClientCancelsWhileANonBlockingSenderSends() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    Rounds.run(
        "client cancel while trySend sends",
        100,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = trySendAll(chat, "m", MESSAGES, true, eventLoop);
          for (int i = 0; i < 50; i++) {
            assertThat(chat.receive()).isEqualTo("reply-" + i);
          }
          chat.cancel();

          int taken = within(sent); // its whenReady task ran, or trySend said the session ended
          assertThat(chat.end()).contains(new ChatEnd(StatusCode.CANCELLED, "cancelled by the client"));
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", server.read().size()));
          assertThat(server.read().size()).isLessThanOrEqualTo(taken);
          assertThat(chat.sentCount()).isEqualTo(taken);
        });
  }

  @Test
  void theServerFailsTheSessionWhileANonBlockingSenderSends() throws Exception {
    startServer(MESSAGES, 100, StatusCode.ABORTED);
    Rounds.run(
        "server fail while trySend sends",
        100,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> sent = trySendAll(chat, "m", MESSAGES, true, eventLoop);
          CompletableFuture<List<String>> replies = readAll("client-reader", chat::receive);

          int taken = within(sent);
          assertThat(within(replies)).isEqualTo(numbered("reply-", 100));
          assertThat(chat.awaitEnd(WAIT))
              .contains(new ChatEnd(StatusCode.ABORTED, "the handler ended the session"));
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", server.read().size()));
          assertThat(server.read().size()).isLessThanOrEqualTo(taken);
        });
  }

  /**
   * A blocking and a non-blocking sender on one session: every message either took goes out once,
   * each sender's in its own order, and nothing else does.
   */
  @Test
  void aBlockingAndANonBlockingSenderShareASession() throws Exception {
    startServer(0, -1, StatusCode.OK);
    Rounds.run(
        "send beside trySend",
        50,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          CompletableFuture<Integer> tried = trySendAll(chat, "t", MESSAGES, false, eventLoop);
          CompletableFuture<Integer> blocking = sendAll(chat, MESSAGES, false);

          assertThat(within(tried)).isEqualTo(MESSAGES);
          assertThat(within(blocking)).isEqualTo(MESSAGES);
          chat.complete();
          assertThat(chat.awaitEnd(WAIT)).contains(ChatEnd.completed());
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).hasSize(2 * MESSAGES);
          assertThat(server.read().stream().filter(m -> m.startsWith("t")))
              .isEqualTo(numbered("t", MESSAGES));
          assertThat(server.read().stream().filter(m -> m.startsWith("m")))
              .isEqualTo(numbered("m", MESSAGES));
          assertThat(chat.sentCount()).isEqualTo(2 * MESSAGES);
        });
  }

  /**
   * The Flow adapters both ways while the server ends the session: the JDK's SubmissionPublisher
   * feeds the sender, a subscriber takes the replies in small batches. The replies before the end
   * come in order, then onError; the sender hears of the end while it waits for readiness or for
   * a message, and cancels its subscription.
   */
  @Test
  void theFlowAdaptersBothWaysWhileTheServerFailsTheSession() throws Exception {
    startServer(MESSAGES, 100, StatusCode.ABORTED);
    Rounds.run(
        "Flow adapters while the server fails",
        100,
        ROUND,
        round -> {
          ChatSession chat = client.openChat();
          BatchSubscriber replies = new BatchSubscriber(8);
          ChatFlow.replies(chat).subscribe(replies);
          try (SubmissionPublisher<String> source = new SubmissionPublisher<>(eventLoop, 16)) {
            source.subscribe(ChatFlow.sender(chat));
            // submit waits while the sender's buffer of 16 is full; it stops once it cancelled
            for (int i = 0; i < MESSAGES && source.getNumberOfSubscribers() > 0; i++) {
              source.submit("m" + i);
            }
            Waiting.until("the sender cancelled", () -> source.getNumberOfSubscribers() == 0);
          }

          Throwable end = replies.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(end)
              .isInstanceOfSatisfying(
                  HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.ABORTED));
          assertThat(replies.items).isEqualTo(numbered("reply-", 100));
          ServerOutcome server = outcomes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(server.read()).isEqualTo(numbered("m", server.read().size()));
          assertThat(chat.sentCount()).isGreaterThanOrEqualTo(server.read().size());
        });
  }

  /** Requests replies {@code batch} at a time, whenever the last batch has come. */
  private static final class BatchSubscriber implements Flow.Subscriber<String> {
    final List<String> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>(); // null: completed
    private final int batch;
    private Flow.Subscription subscription;
    private int left;

    BatchSubscriber(int batch) {
      this.batch = batch;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      left = batch;
      s.request(batch);
    }

    @Override
    public void onNext(String item) {
      items.add(item);
      if (--left == 0) {
        left = batch;
        subscription.request(batch);
      }
    }

    @Override
    public void onError(Throwable error) {
      end.complete(error);
    }

    @Override
    public void onComplete() {
      end.complete(null);
    }
  }

  /** Several sessions per round, half pulled and half with listeners, on a client of their own. */
  private static final int SESSIONS = 8;

  @Test
  void closingTheClientWhileItsSessionsSend() throws Exception {
    startServer(MESSAGES, -1, StatusCode.OK);
    client.close();
    Rounds.run(
        "client close while sessions send",
        50,
        ROUND,
        round -> {
          HelloClient own =
              HelloClient.builder()
                  .inProcess(name)
                  .receiveBufferSize(4)
                  .shutdownGracePeriod(Duration.ofMillis(round % 2 == 0 ? 0 : 50))
                  .build();
          List<ChatSession> sessions = new ArrayList<>();
          List<CountingListener> listeners = new ArrayList<>();
          for (int i = 0; i < SESSIONS; i++) {
            CountingListener listener = i % 2 == 0 ? null : new CountingListener();
            ChatSession chat = listener == null ? own.openChat() : own.openChat(listener);
            sendAll(chat, MESSAGES, true);
            if (listener == null) {
              readAll("client-reader", chat::receive);
            } else {
              listeners.add(listener);
            }
            sessions.add(chat);
          }

          own.close();

          assertThat(sessions).allSatisfy(chat -> assertThat(chat.end()).isPresent());
          assertThat(listeners).allSatisfy(l -> assertThat(l.ends).hasValue(1));
          outcomes.clear(); // the server's view is not the point here
        });
  }

  @Test
  void shuttingTheServerDownWhileSessionsSend() throws Exception {
    Rounds.run(
        "server shutdown while sessions send",
        50,
        ROUND,
        round -> {
          String own = name + "-" + round;
          HelloServer server =
              HelloServer.builder().inProcess(own).receiveBufferSize(4).start();
          try (HelloClient client =
              HelloClient.builder().inProcess(own).receiveBufferSize(4).build()) {
            List<ChatSession> sessions = new ArrayList<>();
            List<CompletableFuture<?>> threads = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
              ChatSession chat = client.openChat();
              threads.add(sendAll(chat, MESSAGES, true));
              threads.add(readAll("client-reader", chat::receive));
              sessions.add(chat);
            }
            Waiting.until("replies flow", () -> sessions.get(0).receivedCount() > 0);

            server.shutdownNow();

            for (CompletableFuture<?> thread : threads) {
              within(thread); // every sender and reader woke
            }
            for (ChatSession chat : sessions) {
              assertThat(chat.awaitEnd(WAIT)).isPresent();
            }
          } finally {
            server.shutdownNow();
            assertThat(server.awaitTermination(WAIT)).isTrue();
          }
        });
  }

  /** Counts a listener's end callbacks, which must come exactly once. */
  private static final class CountingListener implements ChatListener {
    final AtomicInteger ends = new AtomicInteger();

    @Override
    public void onMessage(ChatSession session, String message) {}

    @Override
    public void onCompleted(ChatSession session) {
      ends.incrementAndGet();
    }

    @Override
    public void onError(ChatSession session, HelloException error) {
      ends.incrementAndGet();
    }
  }
}
