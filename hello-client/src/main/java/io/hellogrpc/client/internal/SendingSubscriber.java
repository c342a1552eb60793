package io.hellogrpc.client.internal;

import io.hellogrpc.api.HelloException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Flow.Subscriber} that sends what it receives on a session, with the session's flow
 * control as its backpressure: see {@code ChatFlow.sender}.
 *
 * <p>It asks for one message at a time, and only when {@code trySend} can take one: after a
 * message was taken, at once if the transport can take another, else when {@code whenReady}
 * says so. A message that arrives when the transport has just filled up anyway (another thread
 * sent meanwhile) is held, the only one ever held, and sent when the session is ready.
 *
 * <p>What it does runs in {@link #drain}, on one thread at a time: the publisher's thread in
 * {@code onNext}, or the callback executor's when the session becomes ready or sending ends. A
 * signal that comes while another thread drains has that thread go round once more (the usual
 * work-in-progress counter), so nothing waits and nothing runs twice at once; no lock is held,
 * and {@code trySend} calls into grpc as a sender would.
 */
final class SendingSubscriber implements Flow.Subscriber<String> {
  private final RealChatSession session;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicInteger work = new AtomicInteger();
  private final AtomicBoolean awaitingReady = new AtomicBoolean();
  private final Runnable onReady = this::readyOrEnded;
  private volatile Flow.Subscription upstream;
  private volatile String next; // received, not taken yet
  private volatile boolean overflowed; // the publisher sent more than requested
  private volatile boolean completed;
  private volatile Throwable failure;

  // Confined to drain().
  private boolean requested; // one message requested and not received yet
  private boolean done;

  SendingSubscriber(RealChatSession session) {
    this.session = session;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    Objects.requireNonNull(subscription, "subscription"); // rule 2.13
    if (!subscribed.compareAndSet(false, true)) {
      subscription.cancel(); // rule 2.5: one subscription, ever
      return;
    }
    upstream = subscription;
    session.whenSendingEnds(this::drain);
    drain();
  }

  @Override
  public void onNext(String message) {
    Objects.requireNonNull(message, "message"); // rule 2.13
    if (next != null || !subscribed.get()) {
      overflowed = true;
    } else {
      next = message;
    }
    drain();
  }

  @Override
  public void onError(Throwable throwable) {
    Objects.requireNonNull(throwable, "throwable"); // rule 2.13
    failure = throwable;
    drain();
  }

  @Override
  public void onComplete() {
    completed = true;
    drain();
  }

  private void readyOrEnded() {
    awaitingReady.set(false);
    drain();
  }

  private void drain() {
    if (work.getAndIncrement() != 0) {
      return; // the thread draining now goes round once more
    }
    int missed = 1;
    do {
      step();
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void step() {
    Flow.Subscription subscription = upstream;
    if (done || subscription == null) {
      return;
    }
    Throwable failed = failure;
    if (failed != null) {
      done = true;
      next = null;
      session.cancel("the Flow.Publisher of the messages failed: " + failed, failed);
      return;
    }
    if (overflowed) {
      done = true;
      next = null;
      subscription.cancel();
      session.cancel(
          "the Flow.Publisher of the messages sent more than was requested (Reactive Streams"
              + " rule 1.1)",
          null);
      return;
    }
    String message = next;
    if (message != null) {
      boolean taken;
      try {
        taken = session.trySend(message);
      } catch (IllegalArgumentException unsendable) {
        done = true;
        next = null;
        subscription.cancel();
        session.cancel(
            "a message of the Flow.Publisher cannot be sent: " + unsendable.getMessage(),
            unsendable);
        return;
      } catch (IllegalStateException | HelloException sendingEnded) {
        done = true; // the session's end() says how
        next = null;
        subscription.cancel();
        return;
      }
      if (!taken) {
        awaitReady();
        return;
      }
      next = null;
      requested = false;
    }
    if (completed) {
      done = true;
      session.complete(); // after every message taken: they go out before the half-close
      return;
    }
    if (session.sendingEnded()) {
      done = true;
      subscription.cancel();
      return;
    }
    if (!requested) {
      if (session.canSendNow()) {
        requested = true;
        subscription.request(1); // may call onNext here: it only signals this loop
      } else {
        awaitReady();
      }
    }
  }

  private void awaitReady() {
    if (awaitingReady.compareAndSet(false, true)) {
      session.whenReady(onReady);
    }
  }
}
