package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * One {@link OutboundGate} on a transport that records what reaches it, for Lincheck to race its
 * senders against a close and an end ({@link OutboundGateModelCheckTest}).
 *
 * <p>The transport is not ready after any message until {@link #onReady()}: the first send goes
 * (the gate believes a new call ready), later ones wait, and a {@link #trySend()} takes nothing and
 * leaves a {@code whenReady} task, which must have run by the end unless the gate is still not
 * ready.
 *
 * <p>{@link Paced} is the same with a {@link OutboundGate.Pacing}, as when a listener or
 * OpenTelemetry watches the session.
 */
public class GateRaces {
  private static final SessionEnd CANCELLED =
      SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "cancelled"));

  private final Transport transport = new Transport();
  private final OutboundGate gate;

  public GateRaces() {
    this(false);
  }

  GateRaces(boolean paced) {
    this.gate = new OutboundGate(transport, paced ? transport : null);
  }

  /**
   * With a pacing: a sender that finds the transport not ready lets go of the gate's lock to say
   * so, then checks everything again.
   */
  public static final class Paced extends GateRaces {
    public Paced() {
      super(true);
    }
  }

  /** {@code SessionCore.send}, the session not ended. */
  @Operation
  public String send() {
    String message = transport.nextMessage();
    try {
      gate.send(message);
      transport.returned(message);
      return "sent";
    } catch (IllegalStateException | HelloException refused) {
      return "refused";
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A non-blocking sender, as an event loop uses the gate: {@code trySend}, and when it takes
   * nothing, a {@code whenReady} task to be told when to try again.
   */
  @Operation
  public String trySend() {
    String message = transport.nextMessage();
    try {
      if (gate.trySend(message)) {
        transport.returned(message);
        return "sent";
      }
      gate.whenReady(transport.readyTask());
      return "not taken";
    } catch (IllegalStateException | HelloException refused) {
      return "refused";
    }
  }

  /**
   * {@code SessionCore.send} once it sees the end recorded by a thread that has not told the gate
   * yet: it ends the gate itself, without an action, then sends (and is refused).
   */
  @Operation
  public String sendSeeingTheEnd() {
    gate.end(CANCELLED, null);
    return send();
  }

  /** {@code complete()}: the half-close goes after the messages already taken. */
  @Operation
  public boolean complete() {
    boolean closed = gate.closeForSending("complete() was called", transport.action("halfClose"));
    if (closed) {
      transport.requested("halfClose");
    }
    return closed;
  }

  /** {@code cancel()}, through {@code SessionCore.finish}: the cancel goes after those taken. */
  @Operation
  public void cancel() {
    gate.end(CANCELLED, transport.action("cancel"));
    transport.requested("cancel");
  }

  /** The transport's {@code onReady}. */
  @Operation
  public void onReady() {
    transport.ready();
    gate.onReady();
  }

  /**
   * After every operation has returned: a send returned normally if and only if its message reached
   * the transport; nothing reached it twice, or after a half-close or cancel; each action the gate
   * accepted ran once.
   */
  @Validate
  public void validate() {
    transport.check();
    // A whenReady task still waiting is lost unless trySend still could not take a message.
    if (transport.readyTasksWaiting() > 0 && (gate.isReady() || gate.isClosed())) {
      throw new AssertionError(
          transport.readyTasksWaiting() + " whenReady task(s) never ran, though the gate is "
              + (gate.isClosed() ? "closed" : "ready"));
    }
  }

  /**
   * The transport, and the record of what reached it; for {@link Paced}, also the pacing, counting
   * waits. Bookkeeping only: one step per method.
   */
  static final class Transport implements OutboundGate.Transport, OutboundGate.Pacing {
    private boolean ready; // a message leaves it full until onReady
    private int numbered;
    private int blocked;
    private int resumed;
    private final List<String> calls = new ArrayList<>(); // messages and actions, in order run
    private final List<String> returned = new ArrayList<>();
    private final List<String> requested = new ArrayList<>();
    private int readyTasks; // given to whenReady
    private int readyTasksRan;

    @Override
    public synchronized boolean isReady() {
      return ready;
    }

    @Override
    public synchronized void sendMessage(String message) {
      calls.add(message);
      ready = false;
    }

    synchronized void ready() {
      ready = true;
    }

    @Override
    public synchronized void senderBlocked() {
      blocked++;
    }

    @Override
    public synchronized void senderResumed(long blockedNanos) {
      if (blockedNanos <= 0) {
        throw new AssertionError("a wait of " + blockedNanos + " ns");
      }
      resumed++;
    }

    synchronized String nextMessage() {
      return "m" + ++numbered;
    }

    synchronized void returned(String message) {
      returned.add(message);
    }

    synchronized void requested(String action) {
      requested.add(action);
    }

    Runnable readyTask() {
      registered();
      return new ReadyTask(this);
    }

    synchronized void registered() {
      readyTasks++;
    }

    synchronized void readyTaskRan() {
      readyTasksRan++;
      if (readyTasksRan > readyTasks) {
        throw new AssertionError("a whenReady task ran twice");
      }
    }

    synchronized int readyTasksWaiting() {
      return readyTasks - readyTasksRan;
    }

    Runnable action(String name) {
      return new Action(this, name);
    }

    synchronized void ran(String action) {
      calls.add(action);
    }

    synchronized void check() {
      List<String> messages = new ArrayList<>();
      List<String> actions = new ArrayList<>();
      for (String call : calls) {
        if (call.startsWith("m")) {
          if (!actions.isEmpty()) {
            throw new AssertionError(
                call + " reached the transport after " + actions + ": " + calls);
          }
          messages.add(call);
        } else {
          actions.add(call);
        }
      }
      if (new HashSet<>(messages).size() != messages.size()) {
        throw new AssertionError("a message reached the transport twice: " + calls);
      }
      if (!new HashSet<>(messages).equals(new HashSet<>(returned))) {
        throw new AssertionError(
            "the sends that returned normally " + returned + " are not the messages that reached"
                + " the transport: " + calls);
      }
      List<String> expected = new ArrayList<>(requested);
      List<String> unexpected = new ArrayList<>(actions);
      for (String action : requested) {
        unexpected.remove(action);
      }
      for (String action : actions) {
        expected.remove(action);
      }
      if (!expected.isEmpty() || !unexpected.isEmpty()) {
        throw new AssertionError(
            "the gate accepted " + requested + " but the transport ran " + actions + ": " + calls);
      }
      if (blocked != resumed) {
        throw new AssertionError(
            blocked + " senders said they blocked, " + resumed + " that they resumed: " + calls);
      }
    }
  }

  /** A transport action: it records that it ran. */
  private static final class Action implements Runnable {
    private final Transport transport;
    private final String name;

    Action(Transport transport, String name) {
      this.transport = transport;
      this.name = name;
    }

    @Override
    public void run() {
      transport.ran(name);
    }
  }

  /** A whenReady task: it records that it ran. */
  private static final class ReadyTask implements Runnable {
    private final Transport transport;
    private boolean ran;

    ReadyTask(Transport transport) {
      this.transport = transport;
    }

    @Override
    public void run() {
      if (ran) {
        throw new AssertionError("a whenReady task ran twice");
      }
      ran = true;
      transport.readyTaskRan();
    }
  }
}
