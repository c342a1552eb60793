package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The two ends of one chat call, a client session and a server session, joined the way grpc's
 * in-process transport joins them: a call into the transport runs the peer's callbacks on the
 * calling thread. Lincheck runs the operations below from several threads and explores how they
 * interleave ({@link OutboundGateModelCheckTest}).
 *
 * <p>Each side is what {@link SessionCore} is made of: an {@link InboundQueue}, an outbound gate,
 * and an end recorded once ({@link Side#finish} is {@code SessionCore.finish}). The operations are
 * what the client and server sessions do with them (RealChatSession, RealServerSession).
 *
 * <p>The fake transport, per call into it, on the calling thread:
 *
 * <ul>
 *   <li>{@code sendMessage}: delivers the message into the peer's queue if the peer has requested
 *       one (else keeps it until the peer does), then runs the peer's {@code onReady}. In-process,
 *       whichever callbacks are pending run inside our call; the peer's {@code onReady} is the one
 *       that needs the peer's gate, the edge of the cycle a lock-holding gate closes.
 *   <li>{@code request(n)} (an InboundQueue granting room): delivers what waits for it, then runs
 *       the sender's {@code onReady}.
 *   <li>{@code halfClose}: the server's {@code onHalfClose}, after the messages sent before it.
 *   <li>{@code cancel}: the server's {@code onCancel}, then the client's {@code onClose}.
 *   <li>{@code close(OK)}: the client's {@code onClose}, after the server's messages before it.
 * </ul>
 *
 * <p>Deliveries in one direction run one at a time and in order, by whichever thread is in the
 * transport when they become possible, as grpc serializes a call's callbacks; the fake never holds
 * its own lock while it calls back.
 *
 * <p>Each side sends at most as many messages as the peer's buffer holds, so no send waits for a
 * reader that the scenario may not have: any hang Lincheck finds is the gates' doing.
 */
public abstract class InProcessPair {
  /** What the pair needs of an outbound gate: {@link OutboundGate}'s methods. */
  interface Gate {
    void send(String message) throws InterruptedException;

    void onReady();

    boolean closeForSending(String reason, Runnable action);

    void end(SessionEnd reason, Runnable action);

    long sent();
  }

  /** Each side's receive buffer. Small, so that a read grants room back (a batch of one). */
  static final int CAPACITY = 2;

  private static final SessionEnd COMPLETED = SessionEnd.of(ChatEnd.completed());
  private static final SessionEnd CLIENT_CANCELLED =
      SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "cancelled by the client"));
  private static final SessionEnd SERVER_CANCELLED =
      SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "the client cancelled the session"));

  final Side client = new Side("c");
  final Side server = new Side("s");
  private final Wire toServer = new Wire(client, server);
  private final Wire toClient = new Wire(server, client);
  private final AtomicInteger halfCloses = new AtomicInteger();
  private final AtomicInteger cancels = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();

  protected InProcessPair() {
    client.join(newGate(toServer.transport()), toClient);
    server.join(newGate(toClient.transport()), toServer);
    client.inbox.start();
    server.inbox.start();
  }

  /** The gate under test, sending through {@code transport}. */
  abstract Gate newGate(OutboundGate.Transport transport);

  /** The pair with the gate the library uses. */
  public static final class WithOutboundGate extends InProcessPair {
    @Override
    Gate newGate(OutboundGate.Transport transport) {
      OutboundGate gate = new OutboundGate(transport);
      return new Gate() {
        @Override
        public void send(String message) throws InterruptedException {
          gate.send(message);
        }

        @Override
        public void onReady() {
          gate.onReady();
        }

        @Override
        public boolean closeForSending(String reason, Runnable action) {
          return gate.closeForSending(reason, action);
        }

        @Override
        public void end(SessionEnd reason, Runnable action) {
          gate.end(reason, action);
        }

        @Override
        public long sent() {
          return gate.sent();
        }
      };
    }
  }

  /** The pair with the gate as it was before b4dd4f3, which held its lock across grpc. */
  public static final class WithLockHoldingGate extends InProcessPair {
    @Override
    Gate newGate(OutboundGate.Transport transport) {
      return new LockHoldingGate(transport);
    }
  }

  // What the sessions do. Results are for the report only: the checks are in validate().

  /** {@code ChatSession.send}. */
  @Operation
  public String clientSend() {
    return client.send();
  }

  /** {@code ServerSession.send}. */
  @Operation
  public String serverSend() {
    return server.send();
  }

  /** A reader on the client taking a reply if one is there. */
  @Operation
  public String clientRead() {
    return client.read();
  }

  /** The handler taking a message if one is there. */
  @Operation
  public String serverRead() {
    return server.read();
  }

  /** {@code ChatSession.complete()}: the half-close goes after the messages already taken. */
  @Operation
  public boolean clientComplete() {
    return client.gate.closeForSending("complete() was called", new HalfClose());
  }

  /** {@code ChatSession.cancel()}. */
  @Operation
  public void clientCancel() {
    client.finish(CLIENT_CANCELLED, new Cancel());
    client.discard();
  }

  /** {@code ServerSession.complete()}: closes the call with OK after the messages taken. */
  @Operation
  public void serverComplete() {
    if (server.finish(COMPLETED, new Close())) {
      server.discard();
    }
  }

  /**
   * After every operation has returned: what was sent is what was delivered, in order, once;
   * every buffer kept within its capacity without stalling; a call that ended did so on both sides.
   */
  @Validate
  public void validate() {
    List<String> problems = new ArrayList<>();
    toServer.check(problems);
    toClient.check(problems);
    if (halfCloses.get() > 1 || cancels.get() > 1 || closes.get() > 1) {
      problems.add(
          "an action ran twice: halfClose " + halfCloses + ", cancel " + cancels
              + ", close " + closes);
    }
    boolean callEnded = cancels.get() > 0 || closes.get() > 0;
    if (callEnded && (client.end.get() == null || server.end.get() == null)) {
      problems.add(
          "the call ended, but not both sessions did: client " + client.end.get()
              + ", server " + server.end.get());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("; ", problems));
    }
  }

  // The transport's actions, run by a gate's drainer (or, in the lock-holding gate, under its lock).

  /** {@code ClientCall.halfClose()}: the server hears it after the messages before it. */
  private final class HalfClose implements Runnable {
    @Override
    public void run() {
      halfCloses.incrementAndGet();
      toServer.endWith(new ServerOnHalfClose());
    }
  }

  private final class ServerOnHalfClose implements Runnable {
    @Override
    public void run() {
      server.inputEnded = true;
      server.inbox.endInput(COMPLETED);
    }
  }

  /** {@code ClientCall.cancel()}: both directions stop; the server, then the client, hears it. */
  private final class Cancel implements Runnable {
    @Override
    public void run() {
      cancels.incrementAndGet();
      toServer.cut();
      toClient.cut();
      if (server.finish(SERVER_CANCELLED, null)) { // the server's onCancel
        server.discard();
      }
      client.finish(CLIENT_CANCELLED, null); // the client's onClose
    }
  }

  /** {@code ServerCall.close(OK)}: the client hears it after the server's messages before it. */
  private final class Close implements Runnable {
    @Override
    public void run() {
      closes.incrementAndGet();
      toServer.cut();
      toClient.endWith(new ClientOnClose());
    }
  }

  private final class ClientOnClose implements Runnable {
    @Override
    public void run() {
      client.finish(COMPLETED, null);
    }
  }

  /** One session: what SessionCore holds, and a record of what it did for the checks. */
  final class Side {
    final String name;
    Gate gate;
    InboundQueue inbox;
    final AtomicReference<SessionEnd> end = new AtomicReference<>();
    volatile boolean inputEnded; // the peer half-closed
    volatile boolean discarded;
    private final AtomicInteger budget = new AtomicInteger(CAPACITY);
    private final AtomicInteger numbered = new AtomicInteger();
    // Guarded by this.
    private final List<String> sentOk = new ArrayList<>();
    private final List<String> taken = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();

    Side(String name) {
      this.name = name;
    }

    void join(Gate gate, Wire in) {
      this.gate = gate;
      this.inbox = new InboundQueue(CAPACITY, in.requests());
    }

    String send() {
      if (budget.getAndDecrement() <= 0) {
        return "over budget"; // the peer's buffer may be full with nobody reading: not a test
      }
      String message = name + numbered.incrementAndGet();
      try {
        gate.send(message);
        synchronized (this) {
          sentOk.add(message);
        }
        return message + " sent";
      } catch (IllegalStateException | HelloException refused) {
        return message + " refused";
      } catch (Throwable e) {
        return unexpected(e);
      }
    }

    String read() {
      try {
        String message = inbox.tryPoll();
        if (message != null) {
          synchronized (this) {
            taken.add(message);
          }
        }
        return message;
      } catch (Throwable e) {
        return unexpected(e);
      }
    }

    /** {@code SessionCore.finish}. */
    boolean finish(SessionEnd reason, Runnable transportAction) {
      if (!end.compareAndSet(null, reason)) {
        return false;
      }
      inbox.endInput(reason);
      gate.end(reason, transportAction);
      return true;
    }

    void discard() {
      discarded = true;
      inbox.discard();
    }

    private synchronized String unexpected(Throwable e) {
      unexpected.add(name + ": " + e);
      return "threw " + e;
    }
  }

  /** One direction of the call in the fake in-process transport. */
  final class Wire {
    private final Side sender;
    private final Side receiver;
    // Guarded by this.
    private int credit; // requested by the receiver and not delivered yet
    private final ArrayDeque<String> waiting = new ArrayDeque<>(); // sent, not delivered yet
    private final List<String> handed = new ArrayList<>(); // every sendMessage, in order
    private final List<String> delivered = new ArrayList<>();
    private Runnable last; // the half-close or close, heard after the messages before it
    private boolean lastDelivered;
    private boolean cut; // cancelled, or the server closed: nothing more arrives
    private boolean delivering; // a thread is delivering: others leave it to that thread
    private int overflows; // deliveries that found the receiver's buffer over its capacity

    Wire(Side sender, Side receiver) {
      this.sender = sender;
      this.receiver = receiver;
    }

    OutboundGate.Transport transport() {
      return new OutboundGate.Transport() {
        @Override
        public boolean isReady() {
          synchronized (Wire.this) {
            return !cut && last == null && credit > waiting.size();
          }
        }

        @Override
        public void sendMessage(String message) {
          synchronized (Wire.this) {
            handed.add(message);
            if (!cut && last == null) {
              waiting.addLast(message);
            }
          }
          deliver();
          receiver.gate.onReady();
        }
      };
    }

    /** The receiver's {@code call.request(n)}. */
    IntConsumer requests() {
      return new IntConsumer() {
        @Override
        public void accept(int n) {
          synchronized (Wire.this) {
            credit += n;
          }
          deliver();
          sender.gate.onReady();
        }
      };
    }

    void endWith(Runnable heardLast) {
      synchronized (this) {
        if (cut || last != null) {
          return;
        }
        last = heardLast;
      }
      deliver();
    }

    synchronized void cut() {
      cut = true;
      waiting.clear();
    }

    private void deliver() {
      synchronized (this) {
        if (delivering) {
          return;
        }
        delivering = true;
      }
      while (true) {
        String message = null;
        Runnable heardLast = null;
        synchronized (this) {
          if (!cut && credit > 0 && !waiting.isEmpty()) {
            credit--;
            message = waiting.removeFirst();
            delivered.add(message);
          } else if (!cut && waiting.isEmpty() && last != null && !lastDelivered) {
            lastDelivered = true;
            heardLast = last;
          } else {
            delivering = false;
            return;
          }
        }
        if (message != null) {
          receiver.inbox.add(message); // may grant room back: request(n) on this thread
          if (receiver.inbox.size() > CAPACITY) { // only readers run beside us: size only shrinks
            synchronized (this) {
              overflows++;
            }
          }
        } else {
          heardLast.run();
        }
      }
    }

    void check(List<String> problems) {
      String direction = sender.name + "->" + receiver.name + ": ";
      Side s = sender;
      Side r = receiver;
      synchronized (this) {
        synchronized (s) {
          if (!new HashSet<>(s.sentOk).equals(new HashSet<>(handed))) {
            problems.add(
                direction + "the sends that returned " + s.sentOk
                    + " are not the messages handed to the transport " + handed);
          }
          if (!s.unexpected.isEmpty()) {
            problems.add(direction + "unexpected " + s.unexpected);
          }
        }
        if (new HashSet<>(handed).size() != handed.size()) {
          problems.add(direction + "a message was handed to the transport twice: " + handed);
        }
        if (!handed.subList(0, delivered.size()).equals(delivered)) {
          problems.add(direction + "delivered " + delivered + " out of the order sent " + handed);
        }
        List<String> accountedFor = new ArrayList<>(delivered);
        accountedFor.addAll(waiting);
        if (!cut && !accountedFor.equals(handed)) {
          problems.add(direction + "sent " + handed + " but delivered " + accountedFor);
        }
        if (overflows > 0) {
          problems.add(direction + "the receiver held more than " + CAPACITY + " messages");
        }
        int buffered = r.inbox.size();
        if (buffered + credit > CAPACITY) {
          problems.add(
              direction + "granted past capacity: " + buffered + " buffered, " + credit
                  + " requested and not arrived");
        }
        boolean inputOpen = r.end.get() == null && !r.inputEnded;
        if (inputOpen && buffered + credit < CAPACITY) {
          problems.add(
              direction + "room freed but never granted: " + buffered + " buffered, " + credit
                  + " requested and not arrived");
        }
        synchronized (r) {
          if (!r.discarded && r.taken.size() + buffered != delivered.size()) {
            problems.add(
                direction + "delivered " + delivered + ", taken " + r.taken + " and " + buffered
                    + " buffered");
          }
          if (!delivered.containsAll(r.taken) || new HashSet<>(r.taken).size() != r.taken.size()) {
            problems.add(direction + "taken " + r.taken + " but delivered " + delivered);
          }
        }
      }
    }
  }
}
