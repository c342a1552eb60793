package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;

/**
 * Model checks of {@link OutboundGate}: Lincheck runs the code under its own scheduler and explores
 * the interleavings of hand-written scenarios ({@link ModelChecks}), reporting an execution that
 * hangs, throws, or fails a check.
 *
 * <p>The two checks of today's gate fail, reporting the lost message, on the gate of b4dd4f3 and
 * on that of fcca533 (before a7c02d6), where a sender that became the drainer released the lock
 * before taking its own message, so that a close or an end in that gap dropped it while
 * {@code send} returned normally: on JDK 17 and 25 the pair's {@code complete()} race finds it at
 * its 15th interleaving of 25, the gate's at its 31st of 50 (and the gate's last race finds in 4
 * that b4dd4f3 also dropped the action of an end that came second).
 */
class OutboundGateModelCheckTest {
  private static final Class<?>[] PAIR_BOOKKEEPING = {
    InProcessPair.Record.class, InProcessPair.Stream.class
  };

  /** The check would have caught the deadlock that b4dd4f3 fixed, in a few interleavings. */
  @Test
  void theCheckFindsTheDeadlockOfAGateThatHoldsItsLockAcrossGrpc() {
    ModelChecks check =
        ModelChecks.of(InProcessPair.WithLockHoldingGate.class, PAIR_BOOKKEEPING)
            .invocationsPerScenario(25)
            .race("clientSend", "serverSend");

    assertThatThrownBy(check::check)
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("hung")
        .hasMessageContaining("LockHoldingGate.onReady");
  }

  /**
   * A client and a server session ({@link SessionCore}) on one in-process call, each sending while
   * the other sends, reads, closes, or cancels, every transport callback on the thread that called
   * grpc: nothing hangs, nothing sent is lost or sent twice, every buffer stays within its capacity
   * and grants freed room back, each accepted half-close, cancel, or close runs once.
   */
  @Test
  void gatesNeverHangWhenBothSidesOfACallCallBackSynchronously() {
    ModelChecks.of(InProcessPair.WithSessionCore.class, PAIR_BOOKKEEPING)
        .invocationsPerScenario(25)
        // the old deadlock: each side's sendMessage runs the other's onReady
        .race("clientSend", "serverSend")
        // a send racing complete(), cancel() on its own side, or the server's close
        .race("clientSend", "clientComplete")
        .race("clientSend", "clientCancel")
        .race("clientSend", "serverComplete")
        // the client's cancel reaching a server that is sending
        .race("serverSend", "clientCancel")
        // both sides sending and reading: the reads grant room back, and wake the other's gate
        .scenario(
            List.of(),
            List.of(List.of("clientSend", "clientRead"), List.of("serverSend", "serverRead")))
        .check();
  }

  /**
   * As above, with {@code trySend} on one side or both: a message it took arrives once and in
   * order, one it did not take never arrives, and neither side hangs on the other's callbacks.
   */
  @Test
  void trySendNeverHangsOrLosesAMessageWhenBothSidesCallBackSynchronously() {
    ModelChecks.of(InProcessPair.WithSessionCore.class, PAIR_BOOKKEEPING)
        .invocationsPerScenario(25)
        .race("clientTrySend", "serverSend")
        .race("clientTrySend", "serverTrySend")
        .race("clientTrySend", "clientCancel")
        .race("clientTrySend", "serverComplete")
        .scenario(
            List.of(),
            List.of(
                List.of("clientTrySend", "clientRead", "clientTrySend"),
                List.of("serverSend", "serverRead")))
        .check();
  }

  /**
   * A sender racing {@code complete()} or an end, on the gate alone: either its send is refused,
   * or its message reaches the transport before the half-close or cancel. Returning normally while
   * the message is dropped would lose it silently, and the peer would see a normal end.
   */
  @Test
  void aSendThatReturnedNormallyWasHandedToTheTransport() {
    ModelChecks.of(GateRaces.class, GateRaces.Transport.class)
        .invocationsPerScenario(50)
        .race("send", "complete")
        .race("send", "cancel")
        .invocationsPerScenario(20)
        // two senders, one draining for both, and a close withdrawing what is not taken
        .race("send", "send", "complete")
        // a sender waiting for readiness wakes on an end, or on onReady
        .scenario(List.of("send"), List.of(List.of("send"), List.of("cancel")))
        .scenario(List.of("send"), List.of(List.of("send"), List.of("onReady")))
        // as SessionCore.send does once it sees the end recorded: the gate ends without an
        // action first; the cancel of the thread that recorded the end must still run
        .race("sendSeeingTheEnd", "cancel")
        .check();
  }

  /**
   * The non-blocking path: a {@code trySend} that returned true had its message reach the
   * transport once, before any half-close or cancel, in the order taken beside blocking sends; one
   * that returned false took nothing, and the {@code whenReady} task it left ran once the gate
   * could take a message again or sending ended: none is left waiting on a gate that is ready.
   *
   * <p>It finds a trySend that queues its message and releases the lock before taking it (a
   * {@code complete()} in the gap drops the message while trySend says it took it), and a drainer
   * that leaves without running the tasks due (an {@code onReady} while it was in the transport
   * made trySend possible again, and nobody says so), each within the counts below.
   */
  @Test
  void aTrySendThatTookAMessageHandedItToTheTransportAndNoReadyTaskIsLost() {
    ModelChecks.of(GateRaces.class, GateRaces.Transport.class)
        .invocationsPerScenario(50)
        // taking a message racing a close or an end that withdraws what is not taken
        .race("trySend", "complete")
        .race("trySend", "cancel")
        // the transport full: the task left by a refused trySend races onReady, a close, an end
        .scenario(List.of("trySend"), List.of(List.of("trySend"), List.of("onReady")))
        .scenario(List.of("trySend"), List.of(List.of("trySend"), List.of("complete")))
        .scenario(List.of("trySend"), List.of(List.of("trySend"), List.of("cancel")))
        .invocationsPerScenario(20)
        // two non-blocking senders: one drains, the other is refused and told later, by the
        // drainer if the transport said ready while it was in there
        .invocationsPerScenario(40)
        .race("trySend", "trySend", "onReady")
        .invocationsPerScenario(20)
        // beside a blocking sender, which the cancel wakes if it must wait
        .race("trySend", "send", "cancel")
        .race("sendSeeingTheEnd", "trySend")
        .check();
  }

  /**
   * The same races with a pacing (a listener or OpenTelemetry watching the session), where a
   * sender that finds the transport not ready lets go of the gate's lock to say so: nothing is
   * lost, nothing hangs, and every wait it told of is told to have ended. A sender that went on to
   * wait without checking again after telling (missing an onReady that came meanwhile) hangs here
   * within the 50 interleavings; 20 do not reach it.
   */
  @Test
  void aPacedGateKeepsItsPromisesAndEndsEveryWaitItTells() {
    ModelChecks.of(GateRaces.Paced.class, GateRaces.Transport.class)
        .invocationsPerScenario(50)
        .scenario(List.of("send"), List.of(List.of("send"), List.of("cancel")))
        .scenario(List.of("send"), List.of(List.of("send"), List.of("complete")))
        .scenario(List.of("send"), List.of(List.of("send"), List.of("onReady")))
        .check();
  }
}
