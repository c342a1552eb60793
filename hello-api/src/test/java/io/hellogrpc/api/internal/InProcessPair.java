package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * <p>Each side is a real {@link SessionCore} ({@link CoreSession}): its {@code send}, its
 * {@code finish}, its {@link InboundQueue} and {@link OutboundGate}. The operations are what the
 * client and server sessions do with them (RealChatSession, RealServerSession).
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
 * its own lock while it calls back. Its bookkeeping ({@link Stream}, {@link Record}) stands for
 * grpc's own and is not under test: the checks leave it out of the analysis, so that each of its
 * steps runs as one.
 *
 * <p>Each side sends at most as many messages as the peer's buffer holds, so no send waits for a
 * reader that the scenario may not have: any hang Lincheck finds is the sessions' doing.
 */
public abstract class InProcessPair {
  /** What the pair needs of one session: what SessionCore and its subclasses offer. */
  interface Session {
    /** {@code SessionCore.send}. */
    void send(String message) throws InterruptedException;

    /** {@code SessionCore.trySend}. */
    boolean trySend(String message);

    /** {@code SessionCore.finish}. */
    boolean finishWith(SessionEnd reason, Runnable transportAction);

    /** {@code complete()} and {@code close()}: {@code OutboundGate.closeForSending}. */
    boolean closeForSending(String reason, Runnable action);

    /** The transport listener's {@code onReady}. */
    void onReady();

    InboundQueue inbound();

    boolean ended();
  }

  /** Makes a session that sends through {@code transport} and asks for messages by request(n). */
  interface SessionFactory {
    Session create(OutboundGate.Transport transport, IntConsumer request);
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
  private final Record calls = new Record(); // the transport actions, requested and run

  protected InProcessPair(SessionFactory sessions) {
    client.session = sessions.create(toServer.transport(), toClient.requests());
    server.session = sessions.create(toClient.transport(), toServer.requests());
    client.session.inbound().start();
    server.session.inbound().start();
  }

  /** The pair as the library has it: each side a {@link SessionCore}, with an OutboundGate. */
  public static final class WithSessionCore extends InProcessPair {
    public WithSessionCore() {
      super(CoreSession::new);
    }
  }

  /**
   * The pair with the gate as it was before b4dd4f3, which held its lock across grpc. Only the
   * sends matter to the deadlock check, so a session here is the bare minimum around the gate.
   */
  public static final class WithLockHoldingGate extends InProcessPair {
    public WithLockHoldingGate() {
      super(LockHoldingSession::new);
    }
  }

  /** A real SessionCore, its protected parts opened to the pair. */
  static final class CoreSession extends SessionCore implements Session {
    CoreSession(OutboundGate.Transport transport, IntConsumer request) {
      super(CAPACITY, 1024, request, transport);
    }

    @Override
    public boolean finishWith(SessionEnd reason, Runnable transportAction) {
      return finish(reason, transportAction);
    }

    @Override
    public boolean closeForSending(String reason, Runnable action) {
      return outbound.closeForSending(reason, action);
    }

    @Override
    public void onReady() {
      outbound.onReady();
    }

    @Override
    public InboundQueue inbound() {
      return inbound;
    }

    @Override
    public boolean ended() {
      return end().isPresent();
    }
  }

  /** A {@link LockHoldingGate} and an InboundQueue, ended in SessionCore's order. */
  static final class LockHoldingSession implements Session {
    private final LockHoldingGate gate;
    private final InboundQueue inbound;
    private final AtomicReference<SessionEnd> end = new AtomicReference<>();

    LockHoldingSession(OutboundGate.Transport transport, IntConsumer request) {
      this.gate = new LockHoldingGate(transport);
      this.inbound = new InboundQueue(CAPACITY, request);
    }

    @Override
    public void send(String message) throws InterruptedException {
      gate.send(message);
    }

    @Override
    public boolean trySend(String message) {
      throw new UnsupportedOperationException("the gate before b4dd4f3 had no trySend");
    }

    @Override
    public boolean finishWith(SessionEnd reason, Runnable transportAction) {
      if (!end.compareAndSet(null, reason)) {
        return false;
      }
      gate.end(reason, transportAction);
      inbound.endInput(reason);
      return true;
    }

    @Override
    public boolean closeForSending(String reason, Runnable action) {
      return gate.closeForSending(reason, action);
    }

    @Override
    public void onReady() {
      gate.onReady();
    }

    @Override
    public InboundQueue inbound() {
      return inbound;
    }

    @Override
    public boolean ended() {
      return end.get() != null;
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

  /** {@code ChatSession.trySend}: takes the message only if the transport can take it now. */
  @Operation
  public String clientTrySend() {
    return client.trySend();
  }

  /** The same on the server's session (which has no public trySend yet: SessionCore has). */
  @Operation
  public String serverTrySend() {
    return server.trySend();
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
    boolean closed = client.session.closeForSending("complete() was called", new HalfClose());
    if (closed) {
      calls.requested("halfClose");
    }
    return closed;
  }

  /** {@code ChatSession.cancel()}. */
  @Operation
  public boolean clientCancel() {
    boolean ended = client.session.finishWith(CLIENT_CANCELLED, new Cancel());
    if (ended) {
      calls.requested("cancel");
    }
    client.discard();
    return ended;
  }

  /** {@code ServerSession.complete()}: closes the call with OK after the messages taken. */
  @Operation
  public boolean serverComplete() {
    boolean ended = server.session.finishWith(COMPLETED, new Close());
    if (ended) {
      calls.requested("close");
      server.discard();
    }
    return ended;
  }

  /**
   * After every operation has returned: what was sent is what was delivered, in order, once;
   * every buffer kept within its capacity without stalling; each transport action a session
   * accepted ran once; a call that ended did so on both sides.
   */
  @Validate
  public void validate() {
    List<String> problems = new ArrayList<>();
    toServer.check(problems);
    toClient.check(problems);
    calls.checkActions(problems);
    if (calls.timesRan("cancel") + calls.timesRan("close") > 0
        && (!client.session.ended() || !server.session.ended())) {
      problems.add(
          "the call ended, but not both sessions did: client ended " + client.session.ended()
              + ", server ended " + server.session.ended());
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
      calls.ran("halfClose");
      toServer.endWith(new ServerOnHalfClose());
    }
  }

  private final class ServerOnHalfClose implements Runnable {
    @Override
    public void run() {
      server.record.inputEnded();
      server.session.inbound().endInput(COMPLETED);
    }
  }

  /** {@code ClientCall.cancel()}: both directions stop; the server, then the client, hears it. */
  private final class Cancel implements Runnable {
    @Override
    public void run() {
      calls.ran("cancel");
      toServer.cut();
      toClient.cut();
      if (server.session.finishWith(SERVER_CANCELLED, null)) { // the server's onCancel
        server.discard();
      }
      client.session.finishWith(CLIENT_CANCELLED, null); // the client's onClose
    }
  }

  /** {@code ServerCall.close(OK)}: the client hears it after the server's messages before it. */
  private final class Close implements Runnable {
    @Override
    public void run() {
      calls.ran("close");
      toServer.cut();
      toClient.endWith(new ClientOnClose());
    }
  }

  private final class ClientOnClose implements Runnable {
    @Override
    public void run() {
      client.session.finishWith(COMPLETED, null);
    }
  }

  /** One session, and a record of what was done with it for the checks. */
  final class Side {
    final String name;
    Session session;
    final Record record = new Record();

    Side(String name) {
      this.name = name;
    }

    String send() {
      String message = record.nextMessage(name);
      if (message == null) {
        return "over budget"; // the peer's buffer may be full with nobody reading: not a test
      }
      try {
        session.send(message);
        record.sent(message);
        return message + " sent";
      } catch (IllegalStateException | HelloException refused) {
        return message + " refused";
      } catch (Throwable e) {
        return record.unexpected(name + ": " + e);
      }
    }

    String trySend() {
      String message = record.nextMessage(name);
      if (message == null) {
        return "over budget";
      }
      try {
        if (!session.trySend(message)) {
          return message + " not taken";
        }
        record.sent(message);
        return message + " sent";
      } catch (IllegalStateException | HelloException refused) {
        return message + " refused";
      } catch (Throwable e) {
        return record.unexpected(name + ": " + e);
      }
    }

    String read() {
      try {
        String message = session.inbound().tryPoll();
        if (message != null) {
          record.taken(message);
        }
        return message;
      } catch (Throwable e) {
        return record.unexpected(name + ": " + e);
      }
    }

    void discard() {
      record.discarded();
      session.inbound().discard();
    }
  }

  /**
   * What one side, or the call, did: plain bookkeeping for the checks, each method one step that
   * calls nothing under test.
   */
  static final class Record {
    private int numbered;
    private final List<String> sentOk = new ArrayList<>();
    private final List<String> taken = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private final List<String> requested = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private boolean inputEnded; // the peer half-closed
    private boolean discarded;

    /** The next message to send, or null once the peer's buffer could be full. */
    synchronized String nextMessage(String name) {
      return numbered < CAPACITY ? name + ++numbered : null;
    }

    synchronized void sent(String message) {
      sentOk.add(message);
    }

    synchronized void taken(String message) {
      taken.add(message);
    }

    synchronized String unexpected(String what) {
      unexpected.add(what);
      return "threw " + what;
    }

    synchronized void requested(String action) {
      requested.add(action);
    }

    synchronized void ran(String action) {
      ran.add(action);
    }

    synchronized int timesRan(String action) {
      int times = 0;
      for (String a : ran) {
        times += a.equals(action) ? 1 : 0;
      }
      return times;
    }

    synchronized void inputEnded() {
      inputEnded = true;
    }

    synchronized void discarded() {
      discarded = true;
    }

    synchronized void checkActions(List<String> problems) {
      for (String action : List.of("halfClose", "cancel", "close")) {
        int times = timesRan(action);
        int expected = requested.contains(action) ? 1 : 0;
        if (times != expected) {
          problems.add(
              action + " ran " + times + " times, but a session accepted it " + expected
                  + " times");
        }
      }
    }
  }

  /**
   * One direction of the call in the fake transport: what grpc keeps for it. Plain bookkeeping,
   * each method one step that calls nothing under test; {@link Wire} makes the callbacks.
   */
  static final class Stream {
    private int credit; // requested by the receiver and not delivered yet
    private final ArrayDeque<String> waiting = new ArrayDeque<>(); // sent, not delivered yet
    private final List<String> handed = new ArrayList<>(); // every sendMessage, in order
    private final List<String> delivered = new ArrayList<>();
    private Runnable last; // the half-close or close, heard after the messages before it
    private boolean lastDelivered;
    private boolean cut; // cancelled, or the server closed: nothing more arrives
    private boolean delivering; // a thread is delivering: others leave it to that thread
    private int overflows; // deliveries that found the receiver's buffer over its capacity

    synchronized boolean isReady() {
      return !cut && last == null && credit > waiting.size();
    }

    synchronized void handed(String message) {
      handed.add(message);
      if (!cut && last == null) {
        waiting.addLast(message);
      }
    }

    synchronized void granted(int n) {
      credit += n;
    }

    synchronized boolean endWith(Runnable heardLast) {
      if (cut || last != null) {
        return false;
      }
      last = heardLast;
      return true;
    }

    synchronized void cut() {
      cut = true;
      waiting.clear();
    }

    /** Whether the caller is now the one delivering. */
    synchronized boolean startDelivering() {
      if (delivering) {
        return false;
      }
      delivering = true;
      return true;
    }

    /** The next message, or the last callback, to deliver now; null when done delivering. */
    synchronized Object nextDelivery() {
      if (!cut && credit > 0 && !waiting.isEmpty()) {
        credit--;
        String message = waiting.removeFirst();
        delivered.add(message);
        return message;
      }
      if (!cut && waiting.isEmpty() && last != null && !lastDelivered) {
        lastDelivered = true;
        return last;
      }
      delivering = false;
      return null;
    }

    synchronized void overflowed() {
      overflows++;
    }

    synchronized void check(
        String direction, Record sender, Record receiver, int buffered, boolean inputOpen,
        List<String> problems) {
      synchronized (sender) {
        if (!new HashSet<>(sender.sentOk).equals(new HashSet<>(handed))) {
          problems.add(
              direction + "the sends that returned " + sender.sentOk
                  + " are not the messages handed to the transport " + handed);
        }
        if (!sender.unexpected.isEmpty()) {
          problems.add(direction + "unexpected " + sender.unexpected);
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
      if (buffered + credit > CAPACITY) {
        problems.add(
            direction + "granted past capacity: " + buffered + " buffered, " + credit
                + " requested and not arrived");
      }
      synchronized (receiver) {
        if (inputOpen && !receiver.inputEnded && buffered + credit < CAPACITY) {
          problems.add(
              direction + "room freed but never granted: " + buffered + " buffered, " + credit
                  + " requested and not arrived");
        }
        if (!receiver.discarded && receiver.taken.size() + buffered != delivered.size()) {
          problems.add(
              direction + "delivered " + delivered + ", taken " + receiver.taken + " and "
                  + buffered + " buffered");
        }
        if (!delivered.containsAll(receiver.taken)
            || new HashSet<>(receiver.taken).size() != receiver.taken.size()) {
          problems.add(direction + "taken " + receiver.taken + " but delivered " + delivered);
        }
      }
    }
  }

  /** One direction of the call in the fake in-process transport: its callbacks. */
  final class Wire {
    private final Side sender;
    private final Side receiver;
    private final Stream stream = new Stream();

    Wire(Side sender, Side receiver) {
      this.sender = sender;
      this.receiver = receiver;
    }

    OutboundGate.Transport transport() {
      return new OutboundGate.Transport() {
        @Override
        public boolean isReady() {
          return stream.isReady();
        }

        @Override
        public void sendMessage(String message) {
          stream.handed(message);
          deliver();
          receiver.session.onReady();
        }
      };
    }

    /** The receiver's {@code call.request(n)}. */
    IntConsumer requests() {
      return new IntConsumer() {
        @Override
        public void accept(int n) {
          stream.granted(n);
          deliver();
          sender.session.onReady();
        }
      };
    }

    void endWith(Runnable heardLast) {
      if (stream.endWith(heardLast)) {
        deliver();
      }
    }

    void cut() {
      stream.cut();
    }

    private void deliver() {
      if (!stream.startDelivering()) {
        return;
      }
      for (Object next = stream.nextDelivery(); next != null; next = stream.nextDelivery()) {
        if (next instanceof String message) {
          InboundQueue inbound = receiver.session.inbound();
          inbound.add(message); // may grant room back: request(n) on this thread
          if (inbound.size() > CAPACITY) { // only readers run beside us: size only shrinks
            stream.overflowed();
          }
        } else {
          ((Runnable) next).run();
        }
      }
    }

    void check(List<String> problems) {
      String direction = sender.name + "->" + receiver.name + ": ";
      stream.check(
          direction, sender.record, receiver.record, receiver.session.inbound().size(),
          !receiver.session.ended(), problems);
    }
  }
}
