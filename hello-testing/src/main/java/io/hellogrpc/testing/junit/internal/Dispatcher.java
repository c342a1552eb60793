package io.hellogrpc.testing.junit.internal;

import io.grpc.Context;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.ChatHandler;
import io.hellogrpc.server.ServerSession;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The handlers the test server is started with, once: each call and session looks up what the
 * test has scripted when it arrives, so handlers and faults change per test without a restart.
 *
 * <p>{@code Channel} sessions always run as a {@code ChatHandler}: a per-message handler is played
 * by a loop that receives, answers and sends, which is what the server's own per-message mode
 * does, message for message, with room for the scripted faults between the steps.
 */
public final class Dispatcher {
  /** What clients see when {@code dropConnections()} ends their calls and sessions. */
  public static final String DROPPED = "the connection was dropped (HelloTestServer.dropConnections)";

  private final Script script;
  private final Recorder recorder;
  private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

  public Dispatcher(Script script, Recorder recorder) {
    this.script = script;
    this.recorder = recorder;
  }

  /** The server's {@code HelloHandler}. */
  public String hello(String name) throws Exception {
    InFlight call = enter(null);
    try {
      recorder.hello(name, Caller.principal());
      refuseOrFail();
      pauseCall(script.delay());
      String reply = script.helloHandler().hello(name);
      if (call.dropped) {
        throw dropped();
      }
      return reply;
    } catch (Exception e) {
      throw call.dropped ? dropped() : e;
    } finally {
      call.finish();
    }
  }

  /** The server's {@code ChatHandler}. */
  public void chat(ServerSession session) throws Exception {
    ScriptedSession scripted =
        new ScriptedSession(session, recorder.session(session.principal()), script);
    InFlight call = enter(session);
    try {
      refuseOrFail();
      ChatHandler chat = script.chatHandler();
      if (chat != null) {
        chat.chat(scripted);
        return;
      }
      for (String message = scripted.receive(); message != null; message = scripted.receive()) {
        String reply = script.channelHandler().reply(message);
        if (reply == null) {
          throw new HelloException(
              StatusCode.INTERNAL, "the ChannelHandler returned null for a message");
        }
        scripted.send(reply);
      }
    } catch (Exception e) {
      if (!call.dropped) {
        throw e;
      }
      // The session already ended as dropped; what the interrupted handler threw says nothing.
    } finally {
      call.finish();
    }
  }

  /**
   * Ends every call and session in flight with {@code UNAVAILABLE}, as a dropped connection does,
   * and interrupts the handlers still running them.
   */
  public void dropAll() {
    for (InFlight call : inFlight) {
      call.drop();
    }
  }

  private InFlight enter(ServerSession session) {
    InFlight call = new InFlight(session);
    inFlight.add(call);
    return call;
  }

  private static HelloException dropped() {
    return new HelloException(StatusCode.UNAVAILABLE, DROPPED);
  }

  /** A handler running now: its thread, and its session if it runs one. */
  private final class InFlight {
    private final Thread thread = Thread.currentThread();
    private final ServerSession session;
    private volatile boolean dropped;
    private boolean finished; // guarded by this

    InFlight(ServerSession session) {
      this.session = session;
    }

    void drop() {
      synchronized (this) {
        if (finished) {
          return;
        }
        dropped = true;
      }
      // The session ends first: a handler interrupted before it would return, and its session
      // would complete OK instead of ending as dropped.
      if (session != null) {
        session.fail(StatusCode.UNAVAILABLE, DROPPED);
      }
      synchronized (this) {
        if (!finished) {
          thread.interrupt(); // never a thread that has moved on: finish() takes the same lock
        }
      }
    }

    void finish() {
      synchronized (this) {
        finished = true;
      }
      inFlight.remove(this);
      if (dropped) {
        Thread.interrupted(); // ours, not the pool's: the next task starts uninterrupted
      }
    }
  }

  private void refuseOrFail() {
    if (script.refusing()) {
      throw new HelloException(StatusCode.UNAVAILABLE, Script.REFUSED);
    }
    Script.End failure = script.takeFailure();
    if (failure != null) {
      throw failure.toException();
    }
  }

  /** Waits {@code delay}, or less if the client cancels the call or its deadline passes. */
  private static void pauseCall(Duration delay) throws InterruptedException {
    if (delay.isZero()) {
      return;
    }
    Context call = Context.current();
    CountDownLatch ended = new CountDownLatch(1);
    Context.CancellationListener listener = context -> ended.countDown();
    call.addListener(listener, Runnable::run);
    try {
      ended.await(nanos(delay), TimeUnit.NANOSECONDS);
    } finally {
      call.removeListener(listener);
    }
    if (call.isCancelled()) {
      // The client is gone (cancelled, or past its deadline): nobody is left to answer.
      throw new HelloException(StatusCode.CANCELLED, "the client cancelled the call");
    }
  }

  static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
