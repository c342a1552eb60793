package io.hellogrpc.api.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound gate as it was before b4dd4f3, kept only so that the model check can show it finds
 * the deadlock this design had: it holds its lock while it calls the transport ({@code sendMessage}
 * in {@link #send}, the half-close or cancel {@code action} in {@link #closeForSending} and
 * {@link #end}). The code is the old {@code OutboundGate}'s, changed only to take a
 * {@link SessionEnd} and a null action, as {@link SessionCore} passes them today.
 */
final class LockHoldingGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readyOrClosed = lock.newCondition();
  private final OutboundGate.Transport transport;

  private volatile long sent;
  private String closedForSending;
  private SessionEnd end;

  LockHoldingGate(OutboundGate.Transport transport) {
    this.transport = transport;
  }

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
      transport.sendMessage(message); // the lock is held: the peer's callbacks run in here
      sent++;
    } finally {
      lock.unlock();
    }
  }

  public long sent() {
    return sent;
  }

  public void onReady() {
    lock.lock();
    try {
      readyOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

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

  public void end(SessionEnd reason, Runnable action) {
    lock.lock();
    try {
      if (end != null) {
        return;
      }
      end = reason;
      readyOrClosed.signalAll();
      if (action != null) {
        action.run();
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closedForSending != null) {
      throw new IllegalStateException(closedForSending);
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
