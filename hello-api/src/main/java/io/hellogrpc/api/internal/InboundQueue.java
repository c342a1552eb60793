package io.hellogrpc.api.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bounded buffer between the transport and whoever reads a session.
 *
 * <p>Flow control is manual: the queue asks the transport for exactly as many messages as it has
 * room for ({@code request(n)}), so it never holds more than its capacity, and once a reader falls
 * behind the transport stops reading and HTTP/2 flow control pushes back on the peer.
 *
 * <p>Room a reader frees is granted back by the transport thread itself, on its next arrival,
 * where {@code request(n)} is a plain call; a reader grants it only a batch at a time. A flowing
 * session costs no cross-thread request, and a slow reader one per batch, never one per message.
 *
 * <p>A waiting reader is woken once per batch of arrivals, not per message: on a Netty event loop
 * the wake-up is deferred to the end of the read being processed ({@link EventLoopDeferral}).
 *
 * <p>{@link #add} and {@link #endInput} come from the transport and never block; the rest may be
 * called from any thread. No lock is held while calling the transport: {@code request(n)} may run
 * callbacks on the calling thread.
 */
public final class InboundQueue implements ReceiveBuffer {
  // A public, stable name (README, "Logs"), shared by both sides' sessions: FINE only.
  private static final Logger logger = Logger.getLogger("io.hellogrpc.session");

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<String> messages;
  private final int capacity;
  private final int requestBatch;
  private final IntConsumer transportRequest;
  private final HeldBytes held;

  private final Runnable wakeReaders = this::wakeReaders;
  private boolean wakePending; // a deferred wake-up is queued on the event loop
  private volatile long arrived; // written under the lock, read anywhere
  private int freed; // slots emptied and not yet granted back
  private SessionEnd inputEnd; // why no more messages will arrive; null while input is open
  private boolean discarding; // nobody will read: drop arrivals, but keep the peer flowing
  private String closedForReading; // what a reader is told once this side stopped reading

  /**
   * @param capacity the most messages ever buffered
   * @param transportRequest asks the transport for that many more messages
   */
  public InboundQueue(int capacity, IntConsumer transportRequest) {
    this(capacity, transportRequest, HeldBytes.NONE);
  }

  /**
   * @param held counts the buffered messages, from their arrival until they are taken or dropped
   */
  public InboundQueue(int capacity, IntConsumer transportRequest, HeldBytes held) {
    this.held = held;
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.requestBatch = Math.max(1, capacity / 4);
    this.transportRequest = transportRequest;
    this.messages = new ArrayDeque<>(2); // grows as a reader falls behind: most sessions keep up
  }

  /** Grants the first window. Call once, after the call has started. */
  public void start() {
    transportRequest.accept(capacity);
  }

  /** Transport: a message arrived. Never blocks: no more arrive than were requested. */
  public void add(String message) {
    int grant = 0;
    boolean kept;
    held.hold(message.length()); // before it can be taken, so the count never goes negative
    lock.lock();
    try {
      arrived++;
      kept = !discarding;
      if (kept) {
        messages.addLast(message);
        wakeReaderSoon();
      } else {
        freed++;
      }
      grant = grantable(true);
    } finally {
      lock.unlock();
    }
    if (!kept) {
      held.release(message.length());
    }
    grant(grant);
  }

  /** Holds the lock. A reader waiting now is woken at the end of the transport's batch. */
  private void wakeReaderSoon() {
    if (wakePending || !lock.hasWaiters(changed)) {
      return; // nobody to wake, or already arranged
    }
    wakePending = true;
    if (!EventLoopDeferral.runAfterCurrentBatch(wakeReaders)) {
      wakePending = false;
      changed.signal();
    }
  }

  private void wakeReaders() {
    lock.lock();
    try {
      wakePending = false;
      changed.signalAll(); // several messages may wait for several readers
    } finally {
      lock.unlock();
    }
  }

  /**
   * Transport: no more messages will arrive. Readers get what is buffered first, then the end.
   * A failure replaces an earlier normal end (the peer half-closed, then the call was cancelled).
   */
  public void endInput(SessionEnd reason) {
    lock.lock();
    try {
      if (inputEnd == null || (inputEnd.isCompleted() && !reason.isCompleted())) {
        inputEnd = reason;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is buffered and all later arrivals, still granting the peer room to finish. */
  public void discard() {
    discard(null);
  }

  /**
   * As {@link #discard()}, for a side that stops reading while input goes on: readers, including
   * those already waiting, are thrown {@link IllegalStateException} with {@code why} unless input
   * has ended, in which case they get the end.
   */
  public void closeForReading(String why) {
    discard(why);
  }

  private void discard(String why) {
    int grant;
    long dropped = 0;
    lock.lock();
    try {
      discarding = true;
      if (closedForReading == null) {
        closedForReading = why;
      }
      freed += messages.size();
      for (String message : messages) {
        dropped += message.length();
      }
      messages.clear();
      grant = grantable(false);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    held.release(dropped);
    grant(grant);
  }

  /**
   * Waits for the next message.
   *
   * @return the next message, or null once input ended normally and everything was taken
   * @throws io.hellogrpc.api.HelloException once input ended with an error and everything was taken
   */
  public String take() throws InterruptedException {
    return poll(-1);
  }

  /**
   * Waits at most {@code timeoutNanos} (forever if negative) for the next message.
   *
   * @return the next message; null on timeout or once input ended normally and all was taken
   * @throws io.hellogrpc.api.HelloException once input ended with an error and all was taken
   */
  public String poll(long timeoutNanos) throws InterruptedException {
    String message;
    int grant;
    lock.lockInterruptibly();
    try {
      long remaining = timeoutNanos;
      while (messages.isEmpty()) {
        if (inputEnd != null) {
          if (inputEnd.isCompleted()) {
            return null;
          }
          throw inputEnd.toException();
        }
        if (closedForReading != null) {
          throw new IllegalStateException(closedForReading);
        }
        if (timeoutNanos < 0) {
          changed.await();
        } else if (remaining <= 0) {
          return null;
        } else {
          remaining = changed.awaitNanos(remaining);
        }
      }
      message = messages.pollFirst();
      freed++;
      grant = grantable(false);
    } finally {
      lock.unlock();
    }
    held.release(message.length());
    grant(grant);
    return message;
  }

  /** The next message if one is buffered, else null, without waiting. */
  public String tryPoll() {
    String message;
    int grant;
    lock.lock();
    try {
      message = messages.pollFirst();
      if (message != null) {
        freed++;
      }
      grant = grantable(false);
    } finally {
      lock.unlock();
    }
    if (message != null) {
      held.release(message.length());
    }
    grant(grant);
    return message;
  }

  /** Why input ended, once it has and every buffered message was taken; null until then. */
  public SessionEnd endIfDrained() {
    lock.lock();
    try {
      return messages.isEmpty() ? inputEnd : null;
    } finally {
      lock.unlock();
    }
  }

  /** Messages that arrived so far, taken, buffered or discarded. */
  public long arrived() {
    return arrived;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How much freed room to grant now, if any, and books it as requested. Holds the lock.
   *
   * <p>The transport thread grants whatever is free: there {@code request(n)} is a plain call. A
   * reader grants only whole batches, since each grant is a task handed to the transport thread.
   * It never needs to do more: buffered, requested and freed always add up to the capacity, so
   * while less than a batch is freed and nothing is requested, the reader still has messages to
   * take, and taking them frees the batch.
   *
   * @param onTransport whether the caller is the transport thread
   */
  private int grantable(boolean onTransport) {
    if (freed == 0 || inputEnd != null) {
      return 0; // nothing to give, or nothing more will arrive
    }
    if (!onTransport && freed < requestBatch) {
      return 0;
    }
    int grant = freed;
    freed = 0;
    return grant;
  }

  /**
   * Outside the lock: the transport may call back into us synchronously. A transport that is gone
   * may refuse (Netty's event loop, shut down, rejects the task): the call has ended or is ending
   * then, and the message the reader just took must still reach it, so the refusal is dropped.
   */
  private void grant(int messages) {
    if (messages <= 0) {
      return;
    }
    try {
      transportRequest.accept(messages);
    } catch (RuntimeException transportGone) {
      logger.log(Level.FINE, "request(" + messages + ") refused: the call is ending", transportGone);
    }
  }
}
