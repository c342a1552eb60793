package io.hellogrpc.client.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sessions a client opened that are not done yet: ended, and with a listener, told so. A
 * session leaves as soon as it is done, so the client holds no ended session; {@code close()}
 * waits here until none is left.
 */
final class OpenSessions {
  private final Set<RealChatSession> open = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition emptied = lock.newCondition();

  /** Before the session's call starts, so that it cannot be done before it is added. */
  void add(RealChatSession session) {
    open.add(session);
  }

  void remove(RealChatSession session) {
    if (open.remove(session) && open.isEmpty()) {
      lock.lock();
      try {
        emptied.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  int size() {
    return open.size();
  }

  /** The sessions open now. */
  List<RealChatSession> snapshot() {
    return List.copyOf(open);
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
