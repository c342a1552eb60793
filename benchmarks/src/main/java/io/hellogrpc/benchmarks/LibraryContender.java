package io.hellogrpc.benchmarks;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The library, used as its README shows: a {@link HelloClient} with every setting at its default,
 * {@link ChatSession#send} from one thread and {@link ChatSession#receive} on another; for many
 * sessions, one client per thousand of them (the server's default per-connection limit). In a
 * {@link Telemetry} mode other than off, the client reports to an OpenTelemetry SDK of its own.
 */
final class LibraryContender implements Contender {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "library-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final int port;
  private final Telemetry telemetry;
  private final OpenTelemetrySdk sdk; // null when off
  private final HelloClient client;
  private final List<ChatSession> openSessions = new ArrayList<>();

  LibraryContender(int port) {
    this(port, Telemetry.OFF);
  }

  /** Against the server observed in the same mode. */
  LibraryContender(int port, Telemetry telemetry) {
    this.port = port;
    this.telemetry = telemetry;
    this.sdk = telemetry.newSdk();
    HelloClient.Builder builder = HelloClient.builder().target("127.0.0.1:" + port);
    if (sdk != null) {
      builder.openTelemetry(sdk);
    }
    this.client = builder.build();
  }

  @Override
  public String label() {
    return telemetry.contenderLabel();
  }

  @Override
  public Duration stream(long messages, Duration timeout) throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    long start = System.nanoTime();
    try (ChatSession chat = client.openChat()) {
      // receive() blocks; after the timeout, cancelling the session wakes it.
      ScheduledFuture<?> watchdog =
          WATCHDOG.schedule(
              () -> {
                replies.fail(new BenchmarkFailure("timed out after " + timeout.toSeconds() + " s"));
                chat.cancel();
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      Background sender = startSender(chat, messages, replies);
      receiveAll(chat, replies, count -> {});
      watchdog.cancel(false);
      sender.join();
    }
    return replies.elapsedSince(start);
  }

  @Override
  public void slowReader(long messages, SlowDrain drain, LongConsumer onReply)
      throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    try (ChatSession chat = client.openChat()) {
      Background sender = startSender(chat, messages, replies);
      receiveAll(
          chat,
          replies,
          count -> {
            onReply.accept(count);
            drain.afterReply(count);
          });
      sender.join();
    }
    replies.elapsedSince(0); // throws if it failed
  }

  private static Background startSender(ChatSession chat, long messages, ExpectedReplies replies) {
    return Background.start(
        "library-sender",
        () -> {
          for (long i = 0; i < messages; i++) {
            chat.send(Messages.text(i));
          }
          chat.complete();
        },
        failure -> {
          replies.fail(failure);
          chat.cancel(); // so the receiver stops too
        });
  }

  /** Receives until the end, checking each reply; reports the end to {@code replies}. */
  private static void receiveAll(ChatSession chat, ExpectedReplies replies, LongConsumer afterEach)
      throws InterruptedException {
    try {
      for (String reply = chat.receive(); reply != null; reply = chat.receive()) {
        afterEach.accept(replies.accept(reply));
      }
      replies.completed();
    } catch (HelloException e) {
      replies.fail(e);
    } catch (BenchmarkFailure e) {
      chat.cancel(); // a wrong reply: already recorded
    }
  }

  @Override
  public String hello(String name) {
    return client.hello(name);
  }

  @Override
  public void openSessions(SessionTally tally) throws InterruptedException {
    for (int i = 0; i < tally.sessions(); i++) {
      int session = i;
      // One client: it opens another connection for each 1,000 sessions (the server's default
      // maxConcurrentCallsPerConnection), as an application's would.
      ChatSession chat =
          client.openChat(
              new ChatListener() {
                @Override
                public void onMessage(ChatSession ignored, String reply) {
                  tally.reply(session, reply);
                }

                @Override
                public void onCompleted(ChatSession ignored) {
                  tally.ended(session, null);
                }

                @Override
                public void onError(ChatSession ignored, HelloException error) {
                  tally.ended(session, error.getMessage());
                }
              });
      openSessions.add(chat);
      chat.send(Messages.text(0));
    }
  }

  @Override
  public void finishSessions(SessionTally tally) throws InterruptedException {
    for (ChatSession chat : openSessions) {
      for (int k = 1; k < tally.messagesPerSession(); k++) {
        chat.send(Messages.text(k));
      }
      chat.complete();
    }
    openSessions.clear();
  }

  @Override
  public void close() {
    client.close();
    if (sdk != null) {
      sdk.close();
    }
  }
}
