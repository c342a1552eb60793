package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.ServerSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The server's side of a session as the test's handler sees it: every message it takes is
 * recorded, a scripted end comes instead of the message after the N-th, and a scripted delay comes
 * before each reply.
 */
final class ScriptedSession implements ServerSession {
  private final ServerSession session;
  private final Recorder.SessionRecord record;
  private final Script script;

  ScriptedSession(ServerSession session, Recorder.SessionRecord record, Script script) {
    this.session = session;
    this.record = record;
    this.script = script;
  }

  @Override
  public String receive() throws InterruptedException {
    if (scriptedEnd()) {
      return endAsScripted();
    }
    return recorded(session.receive());
  }

  @Override
  public String poll(Duration timeout) throws InterruptedException {
    if (scriptedEnd()) {
      return endAsScripted();
    }
    return recorded(session.poll(timeout));
  }

  @Override
  public Iterable<String> messages() {
    return () ->
        new Iterator<>() {
          private String next;
          private boolean done;

          @Override
          public boolean hasNext() {
            if (next == null && !done) {
              try {
                next = receive();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelloException(
                    StatusCode.CANCELLED, "interrupted while waiting for the client's message");
              }
              done = next == null;
            }
            return next != null;
          }

          @Override
          public String next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            String message = next;
            next = null;
            return message;
          }
        };
  }

  @Override
  public void send(String message) throws InterruptedException {
    Duration delay = script.delay();
    if (!delay.isZero()) {
      session.awaitEnd(delay); // returns early if the session ends meanwhile
    }
    session.send(message);
  }

  @Override
  public void complete() {
    session.complete();
  }

  @Override
  public void fail(StatusCode code, String description) {
    session.fail(code, description);
  }

  @Override
  public Optional<String> principal() {
    return session.principal();
  }

  @Override
  public Optional<String> header(String name) {
    return session.header(name);
  }

  @Override
  public Optional<byte[]> binaryHeader(String name) {
    return session.binaryHeader(name);
  }

  @Override
  public Map<String, String> headers() {
    return session.headers();
  }

  @Override
  public Optional<InetSocketAddress> remoteAddress() {
    return session.remoteAddress();
  }

  @Override
  public Optional<ClientCertificate> clientCertificate() {
    return session.clientCertificate();
  }

  @Override
  public Optional<ChatEnd> end() {
    return session.end();
  }

  @Override
  public Optional<ChatEnd> awaitEnd(Duration timeout) throws InterruptedException {
    return session.awaitEnd(timeout);
  }

  private boolean scriptedEnd() {
    Script.EndAfter endAfter = script.endAfter();
    return endAfter != null && record.count() >= endAfter.messages();
  }

  /** Ends the session as scripted: null after a normal end, as receive() returns then. */
  private String endAsScripted() {
    Script.End end = script.endAfter().end();
    if (end.code() == StatusCode.OK) {
      session.complete();
      return null;
    }
    session.fail(end.code(), end.description());
    throw end.toException();
  }

  private String recorded(String message) {
    if (message != null) {
      record.received(message);
    }
    return message;
  }
}
