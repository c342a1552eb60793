package io.hellogrpc.server.internal;

import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The server's open Channel sessions, so that shutdown can end them and anyone can count them. */
final class SessionRegistry {
  static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("server is shutting down");

  /** A session the server can end. */
  interface OpenSession {
    /** Ends the session with {@code status} soon, from whatever thread owns its call. */
    void terminate(Status status);
  }

  private final Set<OpenSession> open = ConcurrentHashMap.newKeySet();

  void add(OpenSession session) {
    open.add(session);
  }

  void remove(OpenSession session) {
    open.remove(session);
  }

  int size() {
    return open.size();
  }

  void endAll(Status status) {
    for (OpenSession session : open) {
      session.terminate(status);
    }
  }
}
