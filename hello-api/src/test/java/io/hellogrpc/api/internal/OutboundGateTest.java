package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.testing.Background;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutboundGateTest {
  private volatile boolean ready;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final OutboundGate gate =
      new OutboundGate(
          new OutboundGate.Transport() {
            @Override
            public boolean isReady() {
              return ready;
            }

            @Override
            public void sendMessage(String message) {
              sent.add(message);
            }
          });

  /**
   * A sender that the gate holds: the transport took one message and then said it is not ready
   * (the gate learns readiness from the transport after each message).
   */
  private Background<Void> heldSender(String message) throws InterruptedException {
    gate.send("first");
    sent.clear();
    return Background.<Void>start(
            "sender",
            () -> {
              gate.send(message);
              return null;
            })
        .untilBlocked();
  }

  @Test
  void sendsAtOnceWhileReady() throws InterruptedException {
    ready = true;
    gate.send("a");
    assertThat(sent).containsExactly("a");
  }

  @Test
  void holdsASenderUntilTheTransportIsReady() throws Exception {
    Background<Void> sender = heldSender("a");
    assertThat(sent).isEmpty();
    ready = true;
    gate.onReady();
    sender.get();
    assertThat(sent).containsExactly("a");
  }

  @Test
  void aWaitingSenderFailsWithTheReasonWhenTheSessionEnds() throws InterruptedException {
    Background<Void> sender = heldSender("a");
    gate.end(SessionEnd.of(new ChatEnd(StatusCode.UNAVAILABLE, "server is shutting down")), null);
    HelloException e = sender.failure();
    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(e.description()).isEqualTo("server is shutting down");
    assertThat(sent).isEmpty();
  }

  @Test
  void refusesSendsAfterClosingForSendingAndRunsTheActionOnce() {
    ready = true;
    List<String> actions = new CopyOnWriteArrayList<>();
    assertThat(gate.closeForSending("complete() was called", () -> actions.add("halfClose"))).isTrue();
    assertThat(gate.closeForSending("again", () -> actions.add("again"))).isFalse();
    assertThat(actions).containsExactly("halfClose");
    assertThatThrownBy(() -> gate.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("complete() was called");
  }

  @Test
  void aSendAfterANormalEndSaysTheSessionEnded() {
    ready = true;
    gate.end(SessionEnd.of(ChatEnd.completed()), null);
    assertThatThrownBy(() -> gate.send("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has ended");
  }

  @Test
  void theActionOfALaterEndStillRunsAndTheFirstReasonStays() {
    ready = true;
    List<String> actions = new CopyOnWriteArrayList<>();
    SessionEnd first = SessionEnd.of(new ChatEnd(StatusCode.CANCELLED, "seen by a sender first"));
    gate.end(first, null); // a sender saw the end recorded and ended the gate without an action
    gate.end(SessionEnd.of(ChatEnd.completed()), () -> actions.add("cancel"));
    assertThat(actions).containsExactly("cancel");
    assertThatThrownBy(() -> gate.send("late"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.description()).isEqualTo("seen by a sender first"));
  }
}
