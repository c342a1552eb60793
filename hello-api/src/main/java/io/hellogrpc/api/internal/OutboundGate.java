package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes what a session does to its call (grpc calls are not thread-safe) and holds senders
 * while the transport is not ready, so a fast writer waits instead of buffering without bound.
 *
 * <p>Every waiting sender wakes when the transport becomes ready, when sending is closed, and when
 * the session ends; a send refused after that says why.
 */
public final class OutboundGate {
  /** The outbound half of a call. */
  public interface Transport {
    boolean isReady();

    void sendMessage(String message);

    static Transport of(BooleanSupplier isReady, Consumer<String> sendMessage) {
      return new Transport() {
        @Override
        public boolean isReady() {
          return isReady.getAsBoolean();
        }

        @Override
        public void sendMessage(String message) {
          sendMessage.accept(message);
        }
      };
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readyOrClosed = lock.newCondition();
  private final Transport transport;

  private volatile long sent; // written under the lock, read anywhere
  private String closedForSending; // why sends are refused while the session goes on; null if open
  private ChatEnd end;

  public OutboundGate(Transport transport) {
    this.transport = transport;
  }

  /**
   * Sends once the transport is ready.
   *
   * @throws IllegalStateException if sending was closed, or the session completed normally
   * @throws io.hellogrpc.api.HelloException if the session ended with an error
   */
  public void send(String message) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        checkOpen();
        if (transport.isReady()) {
          break;
        }
        readyOrClosed.await();
      }
      transport.sendMessage(message);
      sent++;
    } finally {
      lock.unlock();
    }
  }

  /** Messages handed to the transport so far. */
  public long sent() {
    return sent;
  }

  /** Transport: it can take more now. */
  public void onReady() {
    lock.lock();
    try {
      readyOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes sending and runs {@code action} (a half-close, say) in turn with sends, once.
   *
   * @param reason what a later send is told
   * @return false if sending was already closed or the session had ended
   */
  public boolean closeForSending(String reason, Runnable action) {
    lock.lock();
    try {
      if (closedForSending != null || end != null) {
        return false;
      }
      closedForSending = reason;
      readyOrClosed.signalAll();
      action.run();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the outbound side: waiting senders wake and fail. {@code action} (a cancel, say) runs in
   * turn with sends, only if this is the first end.
   */
  public void end(ChatEnd reason, Runnable action) {
    lock.lock();
    try {
      if (end != null) {
        return;
      }
      end = reason;
      readyOrClosed.signalAll();
      action.run();
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closedForSending != null) {
      throw new IllegalStateException(closedForSending); // this side's own doing comes first
    }
    if (end != null) {
      if (end.isCompleted()) {
        throw new IllegalStateException(
            "the session has ended normally: the message was not sent");
      }
      throw end.toException();
    }
  }
}
