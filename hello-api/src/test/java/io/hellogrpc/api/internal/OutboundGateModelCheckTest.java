package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Model checks of {@link OutboundGate}: Lincheck runs the code under its own scheduler and explores
 * the interleavings of the threads (a fixed number, from fixed seeds: the runs are deterministic),
 * reporting an execution that hangs, throws, or fails a check.
 */
class OutboundGateModelCheckTest {

  /**
   * The races named below, then random scenarios of client and server operations on three
   * threads, two operations each.
   */
  private static ModelCheckingOptions inProcessScenarios() throws NoSuchMethodException {
    return new ModelCheckingOptions()
        .addCustomScenario(inParallel("clientSend", "serverSend")) // the old deadlock
        .addCustomScenario(inParallel("clientSend", "clientComplete"))
        .addCustomScenario(inParallel("serverSend", "clientCancel"))
        .addCustomScenario(inParallel("clientSend", "serverComplete"))
        .iterations(6)
        .invocationsPerIteration(100)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(1)
        .actorsAfter(1)
        .verifier(EpsilonVerifier.class); // results vary by design; validate() holds the checks
  }

  /** A scenario of one operation on each of two threads. */
  private static ExecutionScenario inParallel(String first, String second)
      throws NoSuchMethodException {
    Actor a = new Actor(InProcessPair.class.getMethod(first), List.of());
    Actor b = new Actor(InProcessPair.class.getMethod(second), List.of());
    return new ExecutionScenario(List.of(), List.of(List.of(a), List.of(b)), List.of(), null);
  }

  @Test
  @Disabled(
      "fails on b4dd4f3: a send that races an end() returns normally while its message was"
          + " withdrawn (see aSendThatReturnedNormallyWasHandedToTheTransport); enable once fixed")
  void gatesNeverHangWhenBothSidesOfACallCallBackSynchronously() throws Exception {
    inProcessScenarios().check(InProcessPair.WithSessionCore.class);
  }

  @Test
  void theCheckFindsTheDeadlockOfAGateThatHoldsItsLockAcrossGrpc() throws Exception {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .iterations(0) // the hand-written scenario only
            .addCustomScenario(inParallel("clientSend", "serverSend"))
            .invocationsPerIteration(200)
            .minimizeFailedScenario(false)
            .verifier(EpsilonVerifier.class);

    assertThatThrownBy(() -> options.check(InProcessPair.WithLockHoldingGate.class))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("hung")
        .hasMessageContaining("LockHoldingGate.onReady");
  }

  /**
   * A sender racing {@code complete()}: either its send is refused, or its message reaches the
   * transport before the half-close. Returning normally while the message is dropped would lose
   * it silently, and the peer would see a normal end.
   */
  @Test
  @Disabled(
      "fails on b4dd4f3: the sender that becomes the drainer releases the lock before it takes"
          + " its own message; closeForSending withdraws it there and send still returns normally")
  void aSendThatReturnedNormallyWasHandedToTheTransport() {
    Lincheck.runConcurrentTest(300, new SendRacingComplete());
  }

  private static final class SendRacingComplete implements Runnable {
    @Override
    public void run() {
      RecordingTransport transport = new RecordingTransport();
      OutboundGate gate = new OutboundGate(transport);
      Sender sender = new Sender(gate, "x");
      Thread thread = new Thread(sender);
      thread.start();
      gate.closeForSending("complete() was called", transport.action("halfClose"));
      join(thread);
      List<String> calls = transport.calls();
      if (sender.returned && !calls.equals(List.of("x", "halfClose"))) {
        throw new AssertionError("send(\"x\") returned normally, but the transport saw " + calls);
      }
      if (!sender.returned && !calls.equals(List.of("halfClose"))) {
        throw new AssertionError("send(\"x\") was refused, but the transport saw " + calls);
      }
    }
  }

  /** Always ready; records messages and actions in the order the gate runs them. */
  private static final class RecordingTransport implements OutboundGate.Transport {
    private final List<String> calls = new ArrayList<>();

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public synchronized void sendMessage(String message) {
      calls.add(message);
    }

    Runnable action(String name) {
      return new Runnable() {
        @Override
        public void run() {
          synchronized (RecordingTransport.this) {
            calls.add(name);
          }
        }
      };
    }

    synchronized List<String> calls() {
      return new ArrayList<>(calls);
    }
  }

  private static final class Sender implements Runnable {
    private final OutboundGate gate;
    private final String message;
    volatile boolean returned;

    Sender(OutboundGate gate, String message) {
      this.gate = gate;
      this.message = message;
    }

    @Override
    public void run() {
      try {
        gate.send(message);
        returned = true;
      } catch (IllegalStateException refused) {
        returned = false;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
