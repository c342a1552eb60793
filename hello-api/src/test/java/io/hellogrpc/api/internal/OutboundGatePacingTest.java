package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.testing.Background;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gate tells its {@link OutboundGate.Pacing} when a sender waits for flow control, and why. */
@Timeout(10)
class OutboundGatePacingTest {
  private volatile boolean ready = true;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final OutboundGate gate =
      new OutboundGate(
          OutboundGate.Transport.of(() -> ready, sent::add),
          new OutboundGate.Pacing() {
            @Override
            public void senderBlocked() {
              events.add("blocked on " + Thread.currentThread().getName() + heldLock());
            }

            @Override
            public void senderResumed(long blockedNanos) {
              events.add(
                  "resumed on " + Thread.currentThread().getName()
                      + (blockedNanos > 0 ? " after a positive time" : " after " + blockedNanos)
                      + heldLock());
            }
          });

  /** The pacing is the application's code: the gate's lock is never held while it runs. */
  private String heldLock() {
    try {
      Field field = OutboundGate.class.getDeclaredField("lock");
      field.setAccessible(true);
      return ((ReentrantLock) field.get(gate)).isHeldByCurrentThread() ? " holding the lock" : "";
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The transport took one message and then said it is not ready. */
  private Background<Void> blockedSender(String message) throws InterruptedException {
    ready = false;
    gate.send("first");
    return Background.<Void>start(
            "sender",
            () -> {
              gate.send(message);
              return null;
            })
        .untilBlocked();
  }

  @Test
  void aSenderThatNeverWaitsTellsNothing() throws InterruptedException {
    gate.send("a");
    gate.send("b");
    assertThat(sent).containsExactly("a", "b");
    assertThat(events).isEmpty();
  }

  @Test
  void aSenderThatWaitsForTheTransportSaysSoOnItsThreadAndAgainOnceItsMessageIsOut()
      throws Exception {
    Background<Void> sender = blockedSender("a");
    assertThat(events).containsExactly("blocked on sender");

    ready = true;
    gate.onReady();
    sender.get();
    assertThat(sent).containsExactly("first", "a");
    assertThat(events)
        .containsExactly("blocked on sender", "resumed on sender after a positive time");
  }

  @Test
  void aWaitingSenderThatTheEndWakesResumesToo() throws Exception {
    Background<Void> sender = blockedSender("a");
    gate.end(SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "cancelled")), null);
    HelloException failure = sender.failure();
    assertThat(failure.code()).isEqualTo(StatusCode.CANCELLED);
    assertThat(events)
        .containsExactly("blocked on sender", "resumed on sender after a positive time");
    assertThat(sent).containsExactly("first");
  }
}
