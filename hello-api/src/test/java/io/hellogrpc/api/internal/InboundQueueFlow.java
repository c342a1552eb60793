package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * An {@link InboundQueue} fed by a fake in-process transport, for Lincheck to check its flow
 * control and its waiting readers ({@link InboundQueueModelCheckTest}).
 *
 * <p>The fake transport delivers as grpc's in-process one does: a message the peer sends is
 * delivered at once, on the peer's thread, if the queue has asked for one; otherwise it waits, and
 * {@code request(n)} delivers it, on the thread that called {@code request(n)} (a reader that
 * freed room). Deliveries run one at a time, in order, by whichever thread is in the transport
 * when they become possible; a half-close is heard after the messages sent before it.
 *
 * <p>The queue holds two messages: a read grants room back at once (a batch of one). The fake also
 * counts what the queue says it holds ({@link HeldBytes}, a server's memory budget).
 */
public final class InboundQueueFlow {
  static final int CAPACITY = 2;
  private static final SessionEnd COMPLETED = SessionEnd.of(ChatEnd.completed());
  private static final SessionEnd CANCELLED =
      SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "cancelled"));
  private static final Field LOCK;

  static {
    try {
      LOCK = InboundQueue.class.getDeclaredField("lock");
      LOCK.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Transport transport = new Transport();
  private final InboundQueue queue = new InboundQueue(CAPACITY, new Requests(), transport);
  private final ReentrantLock queueLock;

  public InboundQueueFlow() {
    try {
      queueLock = (ReentrantLock) LOCK.get(queue);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
    queue.start();
  }

  /** The peer sends its next message. */
  @Operation
  public void peerSends() {
    transport.operationStarts();
    transport.sent();
    deliver();
  }

  /** The peer half-closes: heard after the messages it sent before. */
  @Operation
  public void peerCompletes() {
    transport.operationStarts();
    transport.halfClosed();
    deliver();
  }

  /** The call is cancelled: nothing more is delivered, and the queue hears why at once. */
  @Operation
  public void cancelled() {
    transport.operationStarts();
    transport.cut();
    queue.endInput(CANCELLED);
    transport.inputEnded();
  }

  /** The session stops reading: what is buffered, and all later arrivals, are dropped. */
  @Operation
  public void discard() {
    transport.operationStarts();
    transport.discarded();
    queue.discard();
  }

  /** As ChatSession.close() does: readers, even those waiting, are told so. */
  @Operation
  public void closeForReading() {
    transport.operationStarts();
    transport.discarded();
    queue.closeForReading("closed");
  }

  @Operation
  public String tryPoll() {
    transport.operationStarts();
    return taken(queue.tryPoll());
  }

  /** A reader waiting for the next message, or the end. */
  @Operation
  public String take() {
    transport.operationStarts();
    try {
      return taken(queue.take());
    } catch (HelloException e) {
      return "ended: " + e.code();
    } catch (IllegalStateException e) {
      return "refused: " + e.getMessage();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private String taken(String message) {
    if (message != null) {
      transport.taken(message);
    }
    return message;
  }

  /**
   * After every operation has returned: what arrived is what was sent, in order, once, and was
   * taken or is still buffered (the order readers see is {@link InboundQueueBuffer}'s check); the
   * queue never asked for more than it had room for, asked back every slot freed while input was
   * open, asked for nothing in an operation that began once input had ended, and never called the
   * transport while holding its lock; what it says it holds never went below zero, and is what is
   * buffered.
   */
  @Validate
  public void validate() {
    transport.check(queue.size());
  }

  /** The queue's {@code request(n)}: credit, then whatever it lets through, on this thread. */
  private final class Requests implements IntConsumer {
    @Override
    public void accept(int n) {
      transport.requested(n, queueLock.isHeldByCurrentThread());
      deliver();
    }
  }

  private void deliver() {
    if (!transport.startDelivering()) {
      return; // the thread delivering now delivers this too
    }
    for (Object next = transport.nextDelivery(); next != null; next = transport.nextDelivery()) {
      if (next instanceof String message) {
        queue.add(message); // may ask for more: request(n), nested, on this thread
        transport.arrived(queue.size());
      } else {
        queue.endInput(COMPLETED);
        transport.inputEnded();
      }
    }
  }

  /** The fake transport's state, and the record of what was done. Bookkeeping only. */
  static final class Transport implements HeldBytes {
    private int numbered;
    private final List<String> sent = new ArrayList<>();
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<String> taken = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int credit;
    private long held; // what the queue says it holds
    private boolean halfClosed;
    private boolean halfCloseDelivered;
    private boolean cut;
    private boolean delivering;
    private boolean discarded;
    private boolean inputEnded; // the queue was told: a half-close delivered, or cancelled
    // Whether this thread's operation began once input had ended: then it must ask for nothing.
    // (One that began before may still ask, a moment after the end, for room it freed before it:
    // grpc ignores that.)
    private final ThreadLocal<Boolean> startedAfterEnd = ThreadLocal.withInitial(() -> false);

    synchronized void sent() {
      String message = "m" + ++numbered;
      sent.add(message);
      if (!cut && !halfClosed) {
        waiting.addLast(message);
      }
    }

    synchronized void halfClosed() {
      halfClosed = true;
    }

    synchronized void cut() {
      cut = true;
      waiting.clear();
    }

    synchronized void operationStarts() {
      startedAfterEnd.set(inputEnded);
    }

    synchronized void discarded() {
      discarded = true;
    }

    synchronized void requested(int n, boolean underLock) {
      if (underLock) {
        problems.add("request(" + n + ") was called holding the queue's lock");
      }
      if (startedAfterEnd.get()) {
        problems.add("request(" + n + ") by an operation that began after input ended");
      }
      credit += n;
    }

    synchronized boolean startDelivering() {
      if (delivering) {
        return false;
      }
      delivering = true;
      return true;
    }

    /** The next message, or the half-close (as itself), to deliver now; null when done. */
    synchronized Object nextDelivery() {
      if (!cut && credit > 0 && !waiting.isEmpty()) {
        credit--;
        String message = waiting.removeFirst();
        delivered.add(message);
        return message;
      }
      if (!cut && halfClosed && waiting.isEmpty() && !halfCloseDelivered) {
        halfCloseDelivered = true;
        return this;
      }
      delivering = false;
      return null;
    }

    synchronized void arrived(int buffered) {
      if (buffered > CAPACITY) {
        problems.add(buffered + " messages buffered, over the capacity of " + CAPACITY);
      }
    }

    synchronized void inputEnded() {
      inputEnded = true;
    }

    synchronized void taken(String message) {
      taken.add(message);
    }

    @Override
    public synchronized void hold(long bytes) {
      held += bytes;
    }

    @Override
    public synchronized void release(long bytes) {
      held -= bytes;
      if (held < 0) {
        problems.add("released " + bytes + ", leaving " + held + " held");
      }
    }

    synchronized void check(int buffered) {
      List<String> found = new ArrayList<>(problems);
      if (!sent.subList(0, delivered.size()).equals(delivered)) {
        found.add("delivered " + delivered + " out of the order sent " + sent);
      }
      if (!delivered.containsAll(taken) || new HashSet<>(taken).size() != taken.size()) {
        found.add("taken " + taken + " but delivered " + delivered);
      }
      if (!discarded && taken.size() + buffered != delivered.size()) {
        found.add("delivered " + delivered + ", but taken " + taken + " and " + buffered
            + " buffered");
      }
      if (buffered + credit > CAPACITY) {
        found.add("asked for past its capacity: " + buffered + " buffered, " + credit
            + " asked for and not arrived");
      }
      if (!inputEnded && buffered + credit < CAPACITY) {
        found.add("room freed but not asked back: " + buffered + " buffered, " + credit
            + " asked for and not arrived");
      }
      long bufferedLength = 0; // once discarding, nothing stays buffered
      if (!discarded) {
        List<String> left = new ArrayList<>(delivered);
        left.removeAll(taken);
        for (String message : left) {
          bufferedLength += message.length();
        }
      }
      if (held != bufferedLength) {
        found.add("holds " + held + " by its count, but " + bufferedLength + " is buffered");
      }
      if (!found.isEmpty()) {
        throw new AssertionError(String.join("; ", found));
      }
    }
  }
}
