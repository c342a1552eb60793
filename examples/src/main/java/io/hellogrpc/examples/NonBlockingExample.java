package io.hellogrpc.examples;

import io.hellogrpc.client.ChatFlow;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The README's examples of sending without blocking, kept compiling and running here: an event
 * loop that sends with {@code trySend} and {@code whenReady}, and the {@code ChatFlow} adapters.
 * The README quotes the code between the {@code README} markers (a test checks it still does).
 */
public final class NonBlockingExample {
  private NonBlockingExample() {}

  public static void main(String[] args) throws Exception {
    ExecutorService eventLoop = Executors.newSingleThreadExecutor();
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client = HelloClient.builder().target("127.0.0.1:" + server.port()).build()) {
      // README event loop {
      ChatSession chat = client.openChat();
      Iterator<String> messages = IntStream.range(0, 1000).mapToObj(i -> "m" + i).iterator();
      eventLoop.execute(new LoopSender(chat, messages, eventLoop));
      int replies = 0;
      for (String reply : chat.replies()) { // on another thread: the loop never blocks
        replies++;
      }
      System.out.println("event loop: " + chat.sentCount() + " sent, " + replies + " replies");
      // }

      flows(client);
    } finally {
      eventLoop.shutdown();
    }
  }

  // README loop sender {
  /** Sends every message on the event loop, and never blocks it. */
  static final class LoopSender implements Runnable {
    private final ChatSession chat;
    private final Iterator<String> messages;
    private final Executor loop;
    private String next; // taken from messages, not yet by the session

    LoopSender(ChatSession chat, Iterator<String> messages, Executor loop) {
      this.chat = chat;
      this.messages = messages;
      this.loop = loop;
    }

    @Override
    public void run() { // on the loop, and again each time whenReady says so
      while (next != null || messages.hasNext()) {
        if (next == null) {
          next = messages.next();
        }
        if (!chat.trySend(next)) { // the transport is full: nothing taken
          chat.whenReady(() -> loop.execute(this)); // once it can take more (or sending ended)
          return;
        }
        next = null;
      }
      chat.complete();
    }
  }
  // }

  private static void flows(HelloClient client) throws Exception {
    // README flow {
    ChatSession chat = client.openChat();
    ReplyCounter counter = new ReplyCounter();
    ChatFlow.replies(chat).subscribe(counter); // its demand paces the reading
    try (SubmissionPublisher<String> messages = new SubmissionPublisher<>()) {
      messages.subscribe(ChatFlow.sender(chat)); // asks for a message when the session can send
      for (int i = 0; i < 1000; i++) {
        messages.submit("m" + i); // waits while the sender's buffer is full
      }
    } // close(): onComplete, and once every message is sent the session completes
    System.out.println("flow: " + counter.done.get(10, TimeUnit.SECONDS) + " replies, completed");
    // }
  }

  /** Takes the replies 16 at a time, counting them. */
  static final class ReplyCounter implements Flow.Subscriber<String> {
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private int count;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(16);
    }

    @Override
    public void onNext(String reply) {
      if (++count % 16 == 0) {
        subscription.request(16);
      }
    }

    @Override
    public void onError(Throwable error) { // a HelloException: how the session ended
      done.completeExceptionally(error);
    }

    @Override
    public void onComplete() { // the server completed, after the last reply
      done.complete(count);
    }
  }
}
