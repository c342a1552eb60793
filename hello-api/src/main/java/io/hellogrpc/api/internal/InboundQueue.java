package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The bounded buffer between the transport and whoever reads a session.
 *
 * <p>Flow control is manual: the queue asks the transport for exactly as many messages as it has
 * room for ({@code request(n)}), so it never holds more than its capacity, and once a reader falls
 * behind the transport stops reading and HTTP/2 flow control pushes back on the peer. Freed room is
 * granted back in batches, not one message at a time, to keep the transport busy without a
 * cross-thread request per message.
 *
 * <p>{@link #add} and {@link #endInput} come from the transport and never block; the rest may be
 * called from any thread.
 */
public final class InboundQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<String> messages;
  private final int capacity;
  private final int requestBatch;
  private final IntConsumer transportRequest;

  private int freed; // slots emptied since the last request to the transport
  private ChatEnd inputEnd; // why no more messages will arrive; null while input is open
  private boolean discarding; // nobody will read: drop arrivals, but keep the peer flowing

  /**
   * @param capacity the most messages ever buffered
   * @param transportRequest asks the transport for that many more messages
   */
  public InboundQueue(int capacity, IntConsumer transportRequest) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.requestBatch = Math.max(1, capacity / 4);
    this.transportRequest = transportRequest;
    this.messages = new ArrayDeque<>(Math.min(capacity, 16));
  }

  /** Grants the first window. Call once, after the call has started. */
  public void start() {
    transportRequest.accept(capacity);
  }

  /** Transport: a message arrived. Never blocks: no more arrive than were requested. */
  public void add(String message) {
    int grant = 0;
    lock.lock();
    try {
      if (discarding) {
        grant = free(1);
      } else {
        messages.addLast(message);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    grant(grant);
  }

  /**
   * Transport: no more messages will arrive. Readers get what is buffered first, then the end.
   * A failure replaces an earlier normal end (the peer half-closed, then the call was cancelled).
   */
  public void endInput(ChatEnd reason) {
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
    int grant;
    lock.lock();
    try {
      discarding = true;
      grant = free(messages.size());
      messages.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
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
        if (timeoutNanos < 0) {
          changed.await();
        } else if (remaining <= 0) {
          return null;
        } else {
          remaining = changed.awaitNanos(remaining);
        }
      }
      message = messages.pollFirst();
      grant = free(1);
    } finally {
      lock.unlock();
    }
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
      grant = message == null ? 0 : free(1);
    } finally {
      lock.unlock();
    }
    grant(grant);
    return message;
  }

  /** Why input ended, once it has and every buffered message was taken; null until then. */
  public ChatEnd endIfDrained() {
    lock.lock();
    try {
      return messages.isEmpty() ? inputEnd : null;
    } finally {
      lock.unlock();
    }
  }

  /** How many messages are buffered now. */
  public int size() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  public int capacity() {
    return capacity;
  }

  /** Counts freed slots; returns how many to grant now (a batch), or 0. Holds the lock. */
  private int free(int slots) {
    if (inputEnd != null) {
      return 0; // nothing more will arrive: nothing to grant
    }
    freed += slots;
    if (freed < requestBatch && !discarding) {
      return 0;
    }
    int grant = freed;
    freed = 0;
    return grant;
  }

  /** Outside the lock: the transport may call back into us synchronously. */
  private void grant(int messages) {
    if (messages > 0) {
      transportRequest.accept(messages);
    }
  }
}
