package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client the extension built: the same client, except that it knows whether the test closed it
 * and which of its sessions the test left open.
 */
public final class TrackedClient implements HelloClient {
  private final HelloClient client;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<TrackedSession> sessions = new CopyOnWriteArrayList<>();

  public TrackedClient(HelloClient client, String description) {
    this.client = client;
    this.description = description;
  }

  @Override
  public String hello(String name) {
    return client.hello(name);
  }

  @Override
  public CompletableFuture<String> helloAsync(String name) {
    return client.helloAsync(name);
  }

  @Override
  public ChatSession openChat() {
    return track(new TrackedSession(description), null);
  }

  @Override
  public ChatSession openChat(ChatListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    return track(new TrackedSession(description), listener);
  }

  private ChatSession track(TrackedSession tracked, ChatListener listener) {
    // The listener sees the session the test holds, not the one inside it.
    tracked.open(
        listener == null
            ? client.openChat()
            : client.openChat(
                new ChatListener() {
                  @Override
                  public void onMessage(ChatSession session, String message) {
                    listener.onMessage(tracked, message);
                  }

                  @Override
                  public void onCompleted(ChatSession session) {
                    listener.onCompleted(tracked);
                  }

                  @Override
                  public void onError(ChatSession session, HelloException error) {
                    listener.onError(tracked, error);
                  }
                }));
    sessions.add(tracked);
    return tracked;
  }

  @Override
  public void close() {
    closed.set(true);
    client.close();
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Sessions neither ended nor closed or cancelled by the test. */
  public List<TrackedSession> openSessions() {
    return sessions.stream().filter(TrackedSession::leftOpen).toList();
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
