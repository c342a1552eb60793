package io.hellogrpc.api.internal;

import io.grpc.Metadata;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.StatusCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells an application's {@link HelloEventListener} what happens. Whatever the listener throws is
 * caught here, so a session or call never sees it: the first failure is logged at WARNING, the
 * rest at FINE.
 */
public final class ListenerObserver implements Observer {
  private final HelloEventListener listener;
  private final Logger logger;
  private final AtomicLong lastSession = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();

  /** @param logger the server's or client's logger, where a failing listener is reported */
  public ListenerObserver(HelloEventListener listener, Logger logger) {
    this.listener = listener;
    this.logger = logger;
  }

  @Override
  public Probe start(Kind kind, Metadata headers, String peerHost, int peerPort) {
    long start = System.nanoTime();
    if (kind == Kind.HELLO) {
      return new HelloProbe(start);
    }
    SessionProbe probe = new SessionProbe(lastSession.incrementAndGet(), start);
    try {
      listener.sessionOpened(probe.id);
    } catch (RuntimeException | Error e) {
      threw("sessionOpened", e);
    }
    return probe;
  }

  private void threw(String event, Throwable failure) {
    if (warned.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "HelloEventListener." + event + " threw; the library ignores it and goes on (further"
              + " failures of this listener are logged at FINE)",
          failure);
    } else {
      logger.log(Level.FINE, "HelloEventListener." + event + " threw", failure);
    }
  }

  /** What every probe of a listener does not need. */
  private abstract class ListenerProbe implements Probe {
    final long start;
    private final AtomicBoolean ended = new AtomicBoolean();

    ListenerProbe(long start) {
      this.start = start;
    }

    @Override
    public void counts(LongSupplier sent, LongSupplier received) {}

    @Override
    public void buffer(ReceiveBuffer buffer) {}

    @Override
    public Runnable wrap(Runnable task) {
      return task;
    }

    @Override
    public void failed(Throwable failure) {}

    @Override
    public void senderBlocked() {}

    @Override
    public void senderResumed(long blockedNanos) {}

    @Override
    public final void ended(StatusCode code, String description) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      try {
        tell(code, description, elapsed);
      } catch (RuntimeException | Error e) {
        threw(this instanceof HelloProbe ? "helloEnded" : "sessionEnded", e);
      }
    }

    abstract void tell(StatusCode code, String description, Duration elapsed);
  }

  private final class HelloProbe extends ListenerProbe {
    HelloProbe(long start) {
      super(start);
    }

    @Override
    void tell(StatusCode code, String description, Duration elapsed) {
      listener.helloEnded(code, elapsed);
    }
  }

  private final class SessionProbe extends ListenerProbe {
    final long id;
    private volatile LongSupplier sent = () -> 0;
    private volatile LongSupplier received = () -> 0;

    SessionProbe(long id, long start) {
      super(start);
      this.id = id;
    }

    @Override
    public void counts(LongSupplier sent, LongSupplier received) {
      this.sent = sent;
      this.received = received;
    }

    @Override
    public void senderBlocked() {
      try {
        listener.senderBlocked(id);
      } catch (RuntimeException | Error e) {
        threw("senderBlocked", e);
      }
    }

    @Override
    public void senderResumed(long blockedNanos) {
      try {
        listener.senderResumed(id, Duration.ofNanos(blockedNanos));
      } catch (RuntimeException | Error e) {
        threw("senderResumed", e);
      }
    }

    @Override
    void tell(StatusCode code, String description, Duration elapsed) {
      listener.sessionEnded(
          id,
          code == StatusCode.OK ? ChatEnd.completed() : new ChatEnd(code, description),
          sent.getAsLong(),
          received.getAsLong(),
          elapsed);
    }
  }
}
