package io.hellogrpc.api.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The outbound half of a session: it serializes what the session does to its call (grpc calls are
 * not thread-safe), holds senders while the transport is not ready, and never holds a lock while
 * it calls into grpc.
 *
 * <p><b>Why no lock across grpc.</b> grpc may run callbacks on the thread that calls it: the
 * in-process transport runs the peer's {@code onReady}, {@code onMessage} and {@code onClose}, and
 * through them ours, inside our {@code sendMessage}, {@code halfClose}, {@code cancel} and
 * {@code close}. If a thread held a session lock across such a call while the peer's thread held
 * its own across the mirror call, each callback would wait for the other's lock: a deadlock.
 *
 * <p><b>How.</b> Every operation on the call (a message, or an action such as a half-close or a
 * cancel) is queued under the lock and run outside it by one thread at a time: whichever thread
 * queued while nobody was running them (the <em>drainer</em>). Other threads queue and move on:
 * an action's caller returns at once; a sender waits until its message is taken, so that
 * {@code send} still returns only once the message is on its way, and the queue holds at most one
 * message per sending thread. The drainer never waits for anything, so no thread ever waits on a
 * thread that is inside grpc, and the cycle above cannot form. A drainer that has run its share
 * hands the role to a sender whose message is next, so no sender drains for the others forever.
 *
 * <p>Readiness is the transport's {@code isReady()}, read by the drainer after each message
 * (outside the lock) and set again by {@link #onReady()}. A sender waits while the transport is
 * known not to be ready; senders that queue behind one that is about to find it full may each
 * get one message past readiness, which grpc buffers: bounded by the number of sending threads.
 *
 * <p>Every waiting sender wakes when the transport becomes ready, when sending is closed, and when
 * the session ends; a message not yet taken then is not sent, and its {@code send} says why.
 *
 * <p><b>Without waiting.</b> {@link #trySend} takes a message only when it can become the drainer
 * with nothing queued before it and the transport ready: it then runs its own message into the
 * transport, as a sender that drains does, and otherwise takes nothing. It never queues a message
 * for another thread to run, so the queue still holds at most one message per waiting sender, and
 * no drainer's turn ends on a message whose sender is not there to take over. Whoever makes
 * {@code trySend} possible again (an {@code onReady}, a drainer finding the queue empty) or ends
 * sending runs the tasks of {@link #whenReady}, after letting go of the lock.
 */
public final class OutboundGate {
  /** The outbound half of a call. Only the drainer calls it, one call at a time. */
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

  /**
   * Hears when a sender starts and stops waiting for the transport to become ready (flow
   * control). Called on the sending thread, outside the gate's lock; it must not block.
   */
  public interface Pacing {
    /** This thread found the transport not ready and is about to wait. */
    void senderBlocked();

    /**
     * The thread that called {@link #senderBlocked()} stopped waiting: its message was handed to
     * the transport, or its send failed (the session ended, sending was closed, it was
     * interrupted).
     *
     * @param blockedNanos from the moment it found the transport not ready until then
     */
    void senderResumed(long blockedNanos);
  }

  /** How many operations a drainer runs before it hands over to a sender whose message is next. */
  static final int TURN = 64;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition(); // ready, taken, handed over, closed, ended
  private final Transport transport;
  private final Pacing pacing; // null: nobody listens, and a blocked sender costs nothing extra

  // All guarded by the lock. A queued String is a message; a queued Runnable is an action.
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean draining; // a thread is running queued operations; set whenever queue is not empty
  private boolean ready = true; // until the transport says otherwise, after the first message
  private volatile long readySignals; // counts onReady, so that a stale "not ready" is not believed
  private long queued; // messages ever queued: a sender's ticket
  private volatile long taken; // messages ever taken by a drainer, in queue order: sentCount
  private String closedForSending; // why sends are refused while the session goes on; null if open
  private SessionEnd end;
  private ArrayList<Runnable> readyTasks; // whenReady: until trySend could take or sending ends
  private ArrayList<Runnable> closedTasks; // whenClosed: until sending ends

  public OutboundGate(Transport transport) {
    this(transport, null);
  }

  /** @param pacing told when a sender blocks on flow control and resumes; null for nobody */
  public OutboundGate(Transport transport, Pacing pacing) {
    this.transport = transport;
    this.pacing = pacing;
  }

  /**
   * Sends once the transport is ready; returns once a drainer has taken the message, which may be
   * before the transport's {@code sendMessage} is called with it: the message still reaches the
   * transport before any later operation on the call.
   *
   * @throws IllegalStateException if sending was closed, or the session completed normally
   * @throws io.hellogrpc.api.HelloException if the session ended with an error
   * @throws InterruptedException if interrupted before the message was queued: it was not sent
   */
  public void send(String message) throws InterruptedException {
    long blockedSince = 0; // when this sender found the transport not ready; 0: it never did
    try {
      long ticket;
      lock.lockInterruptibly();
      try {
        while (true) {
          checkOpen();
          if (ready) {
            break;
          }
          if (pacing != null && blockedSince == 0) {
            blockedSince = blockedNow(); // told outside the lock; then everything is checked again
            continue;
          }
          changed.await();
        }
        queue.addLast(message);
        ticket = ++queued;
        if (!awaitTaken(ticket)) {
          return; // another drainer took it
        }
      } finally {
        lock.unlock();
      }
      while (true) {
        drain(null);
        if (taken >= ticket) {
          return;
        }
        // Not taken by this turn: a close or an end withdrew it between this thread's becoming
        // the drainer and its first look at the queue, or the turn ended before reaching it.
        lock.lock();
        try {
          if (!awaitTaken(ticket)) {
            return;
          }
        } finally {
          lock.unlock();
        }
      }
    } finally {
      if (blockedSince != 0) {
        pacing.senderResumed(Math.max(1, System.nanoTime() - blockedSince));
      }
    }
  }

  /**
   * Holds the lock, and lets go of it while telling {@link #pacing} that this sender blocks: the
   * listener is someone else's code, and no lock of the gate is ever held across it.
   *
   * @return when it blocked, never 0
   */
  private long blockedNow() {
    long now = System.nanoTime();
    lock.unlock();
    try {
      pacing.senderBlocked();
    } finally {
      lock.lock();
    }
    return now == 0 ? 1 : now;
  }

  /**
   * Takes {@code message} if the transport can take it now and no other thread is handing it
   * operations, and runs it into the transport on this thread, with whatever others queue
   * meanwhile (a drainer's turn); otherwise takes nothing. Never waits but for the lock, which
   * nobody holds across the transport: a message it takes reaches the transport before it
   * returns, ahead of any later operation on the call.
   *
   * @return true if the message was taken (counted by {@link #sent()}), false if not
   * @throws IllegalStateException if sending was closed, or the session completed normally
   * @throws io.hellogrpc.api.HelloException if the session ended with an error
   */
  public boolean trySend(String message) {
    lock.lock();
    try {
      checkOpen();
      if (!canTake()) {
        return false;
      }
      // Nothing is queued: the message is next in line, so taking it keeps tickets in order.
      queued++;
      taken++;
      draining = true;
    } finally {
      lock.unlock();
    }
    drain(message);
    return true;
  }

  /**
   * Whether {@link #trySend} would take a message now: sending is open, the transport is ready,
   * and no other thread is handing it operations. A hint: it may change at once.
   */
  public boolean isReady() {
    lock.lock();
    try {
      return closedForSending == null && end == null && canTake();
    } finally {
      lock.unlock();
    }
  }

  /** Whether sending has ended: closed by this side, or the session ended. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closedForSending != null || end != null;
    } finally {
      lock.unlock();
    }
  }

  /** Holds the lock. Whether trySend would take a message, sending being open. */
  private boolean canTake() {
    return ready && !draining && queue.isEmpty();
  }

  /**
   * Runs {@code task} once, as soon as {@link #trySend} would take a message or sending has ended
   * (then trySend throws, saying why): here and now if so already, else on the thread that makes
   * it so, outside the lock. The task must hand over and return: it may run on a transport thread.
   */
  public void whenReady(Runnable task) {
    lock.lock();
    try {
      if (closedForSending == null && end == null && !canTake()) {
        if (readyTasks == null) {
          readyTasks = new ArrayList<>(2);
        }
        readyTasks.add(task);
        return;
      }
    } finally {
      lock.unlock();
    }
    task.run();
  }

  /** As {@link #whenReady}, but only once sending has ended. */
  public void whenClosed(Runnable task) {
    lock.lock();
    try {
      if (closedForSending == null && end == null) {
        if (closedTasks == null) {
          closedTasks = new ArrayList<>(1);
        }
        closedTasks.add(task);
        return;
      }
    } finally {
      lock.unlock();
    }
    task.run();
  }

  /** Holds the lock. The whenReady tasks due now that trySend could take a message, if it can. */
  private List<Runnable> readyTasksIfReady() {
    if (readyTasks == null || !canTake()) {
      return null;
    }
    List<Runnable> due = readyTasks;
    readyTasks = null;
    return due;
  }

  /** Holds the lock. Every task waiting, sending having ended. */
  private List<Runnable> tasksOnClosing() {
    List<Runnable> due = readyTasks;
    if (closedTasks != null) {
      if (due == null) {
        due = closedTasks;
      } else {
        due.addAll(closedTasks);
      }
    }
    readyTasks = null;
    closedTasks = null;
    return due;
  }

  /** Outside the lock. Each task hands over; one that throws does not keep the others from it. */
  private static void runTasks(List<Runnable> tasks) {
    if (tasks == null) {
      return;
    }
    RuntimeException failure = null;
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Holds the lock. Waits until message {@code ticket} is taken or it is this thread's turn to
   * drain. The wait is short and not interruptible: only a drainer stands between a queued
   * message and the transport, and it never blocks.
   *
   * @return true if this thread must now drain (its message included)
   */
  private boolean awaitTaken(long ticket) {
    while (taken < ticket) {
      if (closedForSending != null || end != null) {
        checkOpen(); // its message was withdrawn, not sent: throws why
      }
      if (!draining) {
        draining = true;
        return true;
      }
      changed.awaitUninterruptibly();
    }
    return false;
  }

  /**
   * Messages taken to be sent so far: each reaches the transport's {@code sendMessage}, if it has
   * not yet, before any later operation on the call.
   */
  public long sent() {
    return taken;
  }

  /** Transport: it can take more now. */
  public void onReady() {
    List<Runnable> due;
    lock.lock();
    try {
      readySignals++;
      ready = true;
      changed.signalAll();
      due = readyTasksIfReady();
    } finally {
      lock.unlock();
    }
    runTasks(due);
  }

  /**
   * Closes sending and runs {@code action} (a half-close, say) after the messages already taken,
   * once. Messages queued but not taken are not sent; their senders are told {@code reason}.
   *
   * @param reason what a later send is told
   * @return false if sending was already closed or the session had ended
   */
  public boolean closeForSending(String reason, Runnable action) {
    List<Runnable> due;
    boolean mustDrain;
    lock.lock();
    try {
      if (closedForSending != null || end != null) {
        return false;
      }
      closedForSending = reason;
      due = tasksOnClosing();
      mustDrain = enqueueAfterWithdrawing(action);
    } finally {
      lock.unlock();
    }
    try {
      if (mustDrain) {
        drain(null);
      }
    } finally {
      runTasks(due);
    }
    return true;
  }

  /**
   * Ends the outbound side: waiting senders wake and fail, and messages not taken yet are not sent.
   * The first end's {@code reason} stays. {@code action} (a cancel, say), if any, runs after the
   * messages already taken, whether or not this call was the first to end the gate: a sender that
   * saw the session's end recorded may have ended the gate, without an action, a moment before the
   * thread that recorded it gets here with its own.
   */
  public void end(SessionEnd reason, Runnable action) {
    List<Runnable> due = null;
    boolean mustDrain;
    lock.lock();
    try {
      if (end == null) {
        end = reason;
        queue.removeIf(String.class::isInstance);
        changed.signalAll();
        due = tasksOnClosing();
      }
      mustDrain = action != null && enqueue(action);
    } finally {
      lock.unlock();
    }
    try {
      if (mustDrain) {
        drain(null);
      }
    } finally {
      runTasks(due);
    }
  }

  /**
   * Holds the lock. Drops the messages not taken yet, queues {@code action}, wakes everyone.
   *
   * @return true if the caller must drain
   */
  private boolean enqueueAfterWithdrawing(Runnable action) {
    queue.removeIf(String.class::isInstance);
    changed.signalAll();
    return enqueue(action);
  }

  /**
   * Holds the lock. Queues {@code action}.
   *
   * @return true if the caller must drain
   */
  private boolean enqueue(Runnable action) {
    queue.addLast(action);
    if (draining) {
      return false;
    }
    draining = true;
    return true;
  }

  /**
   * Runs queued operations, outside the lock, until the queue is empty or this thread's turn is
   * over. Called by the thread that set {@code draining}; never waits.
   *
   * @param first a message this thread already took, to run before the queue; or null
   */
  private void drain(String first) {
    RuntimeException failure = null;
    boolean checkReadiness = false;
    boolean nowReady = false;
    long signalsBefore = 0;
    List<Runnable> due = null;
    Object next = first;
    for (int ran = 0; ; ran++) {
      if (next == null) {
        lock.lock();
        try {
          if (checkReadiness && !nowReady && readySignals == signalsBefore) {
            ready = false; // no onReady since the check: believe it
          }
          next = queue.peekFirst();
          if (next == null || (ran >= TURN && next instanceof String)) {
            draining = false; // empty, or the next message's sender is waiting and takes over
            changed.signalAll();
            due = readyTasksIfReady();
            break;
          }
          queue.removeFirst();
          if (next instanceof String) {
            taken++;
            changed.signalAll(); // its sender may return
          }
        } finally {
          lock.unlock();
        }
      }
      try {
        if (next instanceof String message) {
          transport.sendMessage(message);
          signalsBefore = readySignals;
          nowReady = transport.isReady();
          checkReadiness = true;
        } else {
          checkReadiness = false;
          ((Runnable) next).run();
        }
      } catch (RuntimeException e) {
        checkReadiness = false;
        if (failure == null) {
          failure = e; // grpc reports its failures through the call; this is a bug: say so below
        }
      }
      next = null;
    }
    try {
      runTasks(due);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
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
