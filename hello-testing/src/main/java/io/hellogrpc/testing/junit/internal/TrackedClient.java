package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.CallSettings;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
  public String hello(String name, Duration deadline) {
    return client.hello(name, deadline);
  }

  @Override
  public String hello(String name, CallSettings settings) {
    return client.hello(name, settings);
  }

  @Override
  public CompletableFuture<String> helloAsync(String name) {
    return client.helloAsync(name);
  }

  @Override
  public CompletableFuture<String> helloAsync(String name, CallSettings settings) {
    return client.helloAsync(name, settings);
  }

  @Override
  public ChatSession openChat() {
    return track(new TrackedSession(description), null, null);
  }

  @Override
  public ChatSession openChat(ChatListener listener) {
    Objects.requireNonNull(listener, "listener");
    return track(new TrackedSession(description), null, listener);
  }

  @Override
  public ChatSession openChat(CallSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return track(new TrackedSession(description), settings, null);
  }

  @Override
  public ChatSession openChat(CallSettings settings, ChatListener listener) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(listener, "listener");
    return track(new TrackedSession(description), settings, listener);
  }

  private ChatSession track(TrackedSession tracked, CallSettings settings, ChatListener listener) {
    // The listener sees the session the test holds, not the one inside it.
    tracked.open(
        listener == null
            ? (settings == null ? client.openChat() : client.openChat(settings))
            : open(
                settings,
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

  private ChatSession open(CallSettings settings, ChatListener listener) {
    return settings == null ? client.openChat(listener) : client.openChat(settings, listener);
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
