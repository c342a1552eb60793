package io.hellogrpc.client.internal;

import io.hellogrpc.api.internal.SerialPump;
import io.hellogrpc.api.internal.SessionEnd;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@link Flow.Subscriber}'s subscription to a session's replies: hands it the replies the
 * session buffered, as many as it requested, then the session's end.
 *
 * <p>Every signal runs on the client's callback executor, one run at a time ({@link SerialPump}),
 * as a {@code ChatListener}'s callbacks do: a {@code request(n)} from inside {@code onNext} only
 * adds demand and has the running delivery go on, so there is no recursion. The session's receive
 * buffer is the only buffer: a reply stays in it until the subscriber has demand, and the session
 * asks the server for more only as replies leave it.
 */
final class PublishedReplies implements Flow.Subscription {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");
  static final String CANCELLED_BY_SUBSCRIBER =
      "the Flow.Subscriber of the replies cancelled its subscription";

  private final RealChatSession session;
  private final SerialPump pump;
  private final AtomicLong demand = new AtomicLong();
  private volatile boolean cancelled;
  private volatile String badRequest; // "request(n)" for the first n <= 0; null if none

  // Confined to the pump. The subscriber is let go of once nothing more will be signalled (§3.13).
  private Flow.Subscriber<? super String> subscriber;
  private boolean subscribed;

  PublishedReplies(RealChatSession session, Flow.Subscriber<? super String> subscriber) {
    this.session = session;
    this.subscriber = subscriber;
    this.pump = new SerialPump(session.callbackExecutor(), this::deliver, this::onRefused);
  }

  /** Something changed: a reply arrived, the session ended, demand came. */
  void signal() {
    pump.signal();
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      if (badRequest == null) {
        badRequest = "request(" + n + ")";
      }
    } else {
      demand.accumulateAndGet(n, (had, more) -> had + more < 0 ? Long.MAX_VALUE : had + more);
    }
    pump.signal();
  }

  /** Ends the session: the subscriber wants no more replies, and nobody else can take them. */
  @Override
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true; // before the session's end: the subscriber hears nothing more
    session.cancel(CANCELLED_BY_SUBSCRIBER, null);
    session.reportDone();
    pump.signal(); // to let go of the subscriber
  }

  private void deliver() {
    Flow.Subscriber<? super String> target = subscriber;
    if (target == null) {
      return; // terminated
    }
    if (!subscribed) {
      subscribed = true;
      try {
        target.onSubscribe(this);
      } catch (RuntimeException | Error e) {
        subscriberThrew("onSubscribe", e);
        return;
      }
    }
    while (true) {
      if (cancelled) {
        subscriber = null;
        return;
      }
      String bad = badRequest;
      if (bad != null) {
        IllegalArgumentException error =
            new IllegalArgumentException(
                bad + ": a Flow.Subscriber must request a positive number of replies (Reactive"
                    + " Streams rule 3.9)");
        session.cancel("the Flow.Subscriber of the replies broke rule 3.9: " + bad, error);
        terminate();
        signalEnd(target, error);
        return;
      }
      if (demand.get() == 0) {
        break;
      }
      String reply = session.nextReply();
      if (reply == null) {
        break;
      }
      if (demand.get() != Long.MAX_VALUE) {
        demand.decrementAndGet(); // only this pump takes demand away
      }
      try {
        target.onNext(reply);
      } catch (RuntimeException | Error e) {
        subscriberThrew("onNext", e);
        return;
      }
    }
    SessionEnd end = session.endOfReplies();
    if (end == null || cancelled) {
      return;
    }
    terminate();
    signalEnd(target, end.isCompleted() ? null : end.toException());
  }

  private void terminate() {
    subscriber = null;
    session.reportDone();
  }

  private static void signalEnd(Flow.Subscriber<? super String> target, Throwable error) {
    try {
      if (error == null) {
        target.onComplete();
      } else {
        target.onError(error);
      }
    } catch (RuntimeException | Error e) {
      logger.log(Level.WARNING, "a Flow.Subscriber threw from its end signal", e);
    }
  }

  /**
   * Rule 2.13: a subscriber that throws has its subscription cancelled, and hears nothing more;
   * the session ends with {@code CANCELLED}, the exception as its cause, as for a ChatListener.
   */
  private void subscriberThrew(String method, Throwable e) {
    logger.log(
        Level.WARNING, "a Flow.Subscriber's " + method + " threw; the session is cancelled", e);
    cancelled = true;
    subscriber = null;
    session.cancel("the Flow.Subscriber's " + method + " threw " + e, e);
    session.reportDone();
  }

  /**
   * In place of a delivery the executor refused: the session is cancelled saying so, and the
   * subscriber hears it here, on this thread (the pump runs this instead of a delivery).
   */
  private void onRefused(RejectedExecutionException rejected) {
    logger.log(
        Level.WARNING,
        "the callback executor refused to run a Flow.Subscriber; the session is cancelled",
        rejected);
    session.cancel(
        "the callback executor refused to run the Flow.Subscriber of the replies: " + rejected,
        rejected);
    deliver();
  }
}
