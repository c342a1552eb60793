package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.client.ChatSession;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A session of a {@link TrackedClient}: it knows whether the test let go of it, and where it was
 * opened.
 */
public final class TrackedSession implements ChatSession {
  private final Throwable openedAt;
  // Set once openChat returns; a listener's first callback may come sooner, and waits for it.
  private final CompletableFuture<ChatSession> opened = new CompletableFuture<>();
  private volatile boolean released; // closed or cancelled by the test

  TrackedSession(String client) {
    this.openedAt = new Throwable("the session was opened here, on " + client);
  }

  void open(ChatSession session) {
    opened.complete(session);
  }

  private ChatSession session() {
    return opened.join();
  }

  boolean leftOpen() {
    return !released && session().end().isEmpty();
  }

  /** Where the test opened it, for the failure that says it was left open. */
  public Throwable openedAt() {
    return openedAt;
  }

  @Override
  public void send(String message) throws InterruptedException {
    session().send(message);
  }

  @Override
  public boolean trySend(String message) {
    return session().trySend(message);
  }

  @Override
  public void whenReady(Runnable task) {
    session().whenReady(task);
  }

  @Override
  public String receive() throws InterruptedException {
    return session().receive();
  }

  @Override
  public String poll(Duration timeout) throws InterruptedException {
    return session().poll(timeout);
  }

  @Override
  public Iterable<String> replies() {
    return session().replies();
  }

  @Override
  public void complete() {
    session().complete();
  }

  @Override
  public void cancel() {
    released = true;
    session().cancel();
  }

  @Override
  public void close() {
    released = true;
    session().close();
  }

  @Override
  public long sentCount() {
    return session().sentCount();
  }

  @Override
  public long receivedCount() {
    return session().receivedCount();
  }

  @Override
  public Optional<ChatEnd> end() {
    return session().end();
  }

  @Override
  public Optional<ChatEnd> awaitEnd(Duration timeout) throws InterruptedException {
    return session().awaitEnd(timeout);
  }

  /** Cancels it, in the clean-up after a test that left it open. */
  void release() {
    released = true;
    session().cancel();
  }

  @Override
  public String toString() {
    return "ChatSession " + end().map(ChatEnd::toString).orElse("open");
  }
}
