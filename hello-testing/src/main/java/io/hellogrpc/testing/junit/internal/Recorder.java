package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.testing.junit.RecordedCall;
import io.hellogrpc.testing.junit.RecordedSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the server received, written by its threads, read by the test's. */
public final class Recorder {
  private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
  private final List<SessionRecord> sessions = new CopyOnWriteArrayList<>();

  /** One session's messages so far; the handler's thread appends. */
  static final class SessionRecord {
    private final Optional<String> principal;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    SessionRecord(Optional<String> principal) {
      this.principal = principal;
    }

    void received(String message) {
      messages.add(message);
    }

    int count() {
      return messages.size();
    }

    RecordedSession snapshot() {
      return new RecordedSession(messages, principal);
    }
  }

  void hello(String name, Optional<String> principal) {
    calls.add(new RecordedCall(name, principal));
  }

  SessionRecord session(Optional<String> principal) {
    SessionRecord record = new SessionRecord(principal);
    sessions.add(record);
    return record;
  }

  public List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  public List<RecordedSession> sessions() {
    return sessions.stream().map(SessionRecord::snapshot).toList();
  }

  public void clear() {
    calls.clear();
    sessions.clear();
  }
}
