package io.hellogrpc.client.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sessions a client opened that are not done yet: ended, and with a listener, told so. A
 * session leaves as soon as it is done, giving back its connection's slot, so the client holds no
 * ended session; {@code close()} waits here until none is left.
 */
final class OpenSessions {
  private final Map<RealChatSession, ConnectionPool.Lease> open = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition emptied = lock.newCondition();

  /** Before the session's call starts, so that it cannot be done before it is added. */
  void add(RealChatSession session, ConnectionPool.Lease lease) {
    open.put(session, lease);
  }

  void remove(RealChatSession session) {
    ConnectionPool.Lease lease = open.remove(session);
    if (lease == null) {
      return;
    }
    lease.release();
    if (open.isEmpty()) {
      lock.lock();
      try {
        emptied.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Each session open now, or most: a session added or removed meanwhile may be left out. */
  void forEach(Consumer<RealChatSession> action) {
    open.keySet().forEach(action);
  }

  /** The sessions open now. */
  List<RealChatSession> snapshot() {
    return List.copyOf(open.keySet());
  }

  /**
   * Waits at most {@code nanos} until every session is done.
   *
   * @return true if none is left
   */
  boolean awaitEmpty(long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!open.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = emptied.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
