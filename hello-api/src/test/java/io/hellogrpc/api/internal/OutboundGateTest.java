package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.testing.Background;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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

  // trySend and whenReady: the non-blocking path

  /** Counts how often a whenReady task ran. */
  private static final class Task implements Runnable {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void run() {
      runs.incrementAndGet();
    }
  }

  @Test
  void trySendTakesWhileReadyAndNothingOnceTheTransportSaysItIsFull() {
    ready = false; // the transport will say so after the first message
    assertThat(gate.trySend("a")).isTrue(); // a new call is believed ready
    assertThat(gate.trySend("b")).isFalse();
    assertThat(sent).containsExactly("a");
    assertThat(gate.sent()).isEqualTo(1);
    assertThat(gate.isReady()).isFalse();

    ready = true;
    gate.onReady();
    assertThat(gate.isReady()).isTrue();
    assertThat(gate.trySend("b")).isTrue();
    assertThat(sent).containsExactly("a", "b");
    assertThat(gate.sent()).isEqualTo(2);
  }

  @Test
  void aWhenReadyTaskRunsOnceWhenTheTransportIsReadyAgain() {
    ready = false;
    gate.trySend("a");
    Task task = new Task();
    gate.whenReady(task);
    assertThat(task.runs).hasValue(0);

    ready = true;
    gate.onReady();
    gate.onReady();
    assertThat(task.runs).hasValue(1);
  }

  @Test
  void aWhenReadyTaskRunsAtOnceWhileTrySendWouldTakeAMessage() {
    ready = true;
    Task task = new Task();
    gate.whenReady(task);
    assertThat(task.runs).hasValue(1);
  }

  @Test
  void aWhenReadyTaskRunsWhenSendingCloses() {
    ready = false;
    gate.trySend("a");
    Task task = new Task();
    gate.whenReady(task);
    Task closed = new Task();
    gate.whenClosed(closed);

    gate.closeForSending("complete() was called", () -> {});

    assertThat(task.runs).hasValue(1);
    assertThat(closed.runs).hasValue(1);
    assertThatThrownBy(() -> gate.trySend("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("complete() was called");
  }

  @Test
  void aWhenReadyTaskRunsWhenTheSessionEndsAndTrySendThenSaysWhy() {
    ready = false;
    gate.trySend("a");
    Task task = new Task();
    gate.whenReady(task);
    Task closed = new Task();
    gate.whenClosed(closed);

    gate.end(SessionEnd.of(new ChatEnd(StatusCode.UNAVAILABLE, "server is shutting down")), null);

    assertThat(task.runs).hasValue(1);
    assertThat(closed.runs).hasValue(1);
    assertThatThrownBy(() -> gate.trySend("late"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.description()).isEqualTo("server is shutting down"));
    Task late = new Task();
    gate.whenReady(late);
    gate.whenClosed(late);
    assertThat(late.runs).hasValue(2); // at once: sending has ended
    assertThat(sent).containsExactly("a");
  }

  @Test
  void aWhenClosedTaskDoesNotRunOnReadiness() {
    ready = true;
    Task closed = new Task();
    gate.whenClosed(closed);
    gate.onReady();
    assertThat(gate.trySend("a")).isTrue();
    assertThat(closed.runs).hasValue(0);
  }

  /**
   * A thread inside the transport (a drainer) has the gate: trySend takes nothing rather than
   * queue its message for that thread, and its task runs once the drainer is done.
   */
  @Test
  void trySendTakesNothingWhileAnotherThreadHandsTheTransportAMessage() throws Exception {
    CountDownLatch inTransport = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> reached = new CopyOnWriteArrayList<>();
    OutboundGate slow =
        new OutboundGate(
            OutboundGate.Transport.of(
                () -> true,
                message -> {
                  reached.add(message);
                  if (message.equals("slow")) {
                    inTransport.countDown();
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                }));
    Background<Void> sender =
        Background.start(
            "sender",
            () -> {
              slow.send("slow");
              return null;
            });
    inTransport.await();

    assertThat(slow.trySend("quick")).isFalse();
    Task task = new Task();
    slow.whenReady(task);
    assertThat(task.runs).hasValue(0);

    release.countDown();
    sender.get();
    assertThat(task.runs).hasValue(1);
    assertThat(slow.trySend("quick")).isTrue();
    assertThat(reached).containsExactly("slow", "quick");
  }

  @Test
  void messagesTakenBySendAndTrySendGoOutInTheOrderTaken() throws InterruptedException {
    ready = true;
    gate.send("1");
    assertThat(gate.trySend("2")).isTrue();
    gate.send("3");
    assertThat(gate.trySend("4")).isTrue();
    assertThat(sent).containsExactly("1", "2", "3", "4");
    assertThat(gate.sent()).isEqualTo(4);
  }

  @Test
  void aTaskThatThrowsDoesNotKeepTheOthersFromRunning() {
    ready = false;
    gate.trySend("a");
    Task task = new Task();
    gate.whenReady(
        () -> {
          throw new IllegalStateException("task failed");
        });
    gate.whenReady(task);
    ready = true;
    assertThatThrownBy(gate::onReady).hasMessage("task failed");
    assertThat(task.runs).hasValue(1);
  }
}
