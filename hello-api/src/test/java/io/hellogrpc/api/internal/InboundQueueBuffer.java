package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * An {@link InboundQueue} as a buffer, for Lincheck's linearizability check
 * ({@link InboundQueueModelCheckTest}): whatever the interleaving, what its readers get must be
 * what some one-at-a-time order of the same calls on {@link Spec} gives. So arrivals come out in
 * order, each once, none lost; an end comes after everything buffered, a failure replaces a normal
 * end; a discard drops what is buffered and all later arrivals.
 *
 * <p>Flow control is not at stake here (see {@link InboundQueueFlow}): the capacity is larger than
 * any scenario's arrivals, and {@code request(n)} only counts.
 */
public final class InboundQueueBuffer {
  static final SessionEnd COMPLETED = SessionEnd.of(ChatEnd.completed());
  static final SessionEnd FAILED = SessionEnd.of(new ChatEnd(StatusCode.UNAVAILABLE, "gone"));

  private final InboundQueue queue = new InboundQueue(8, n -> {});
  private int arrivals; // only add() counts, and adds never run in parallel

  public InboundQueueBuffer() {
    queue.start();
  }

  /** The transport delivers the next message: one callback at a time, as grpc calls them. */
  @Operation(nonParallelGroup = "transport")
  public void add() {
    queue.add("m" + ++arrivals);
  }

  /** The peer half-closed. */
  @Operation
  public void endInputCompleted() {
    queue.endInput(COMPLETED);
  }

  /** The call failed (from the transport, or a session's own cancel, on any thread). */
  @Operation
  public void endInputFailed() {
    queue.endInput(FAILED);
  }

  @Operation
  public void discard() {
    queue.discard();
  }

  @Operation
  public void closeForReading() {
    queue.closeForReading("closed");
  }

  @Operation
  public String tryPoll() {
    return queue.tryPoll();
  }

  /** {@code poll(0)}: a message, or null, or the end: never waits. */
  @Operation
  public String poll() throws InterruptedException {
    return queue.poll(0);
  }

  @Operation
  public String endIfDrained() {
    SessionEnd end = queue.endIfDrained();
    return end == null ? null : end.chatEnd().code().name();
  }

  /** The queue's documented behaviour, one call at a time. */
  public static final class Spec {
    private final ArrayDeque<String> messages = new ArrayDeque<>();
    private int arrivals;
    private SessionEnd inputEnd;
    private boolean discarding;
    private String closedForReading;

    public void add() {
      String message = "m" + ++arrivals;
      if (!discarding) {
        messages.addLast(message);
      }
    }

    public void endInputCompleted() {
      endInput(COMPLETED);
    }

    public void endInputFailed() {
      endInput(FAILED);
    }

    private void endInput(SessionEnd reason) {
      if (inputEnd == null || (inputEnd.isCompleted() && !reason.isCompleted())) {
        inputEnd = reason;
      }
    }

    public void discard() {
      discarding = true;
      messages.clear();
    }

    public void closeForReading() {
      discard();
      if (closedForReading == null) {
        closedForReading = "closed";
      }
    }

    public String tryPoll() {
      return messages.pollFirst();
    }

    public String poll() {
      if (!messages.isEmpty()) {
        return messages.pollFirst();
      }
      if (inputEnd != null) {
        if (inputEnd.isCompleted()) {
          return null;
        }
        throw inputEnd.toException();
      }
      if (closedForReading != null) {
        throw new IllegalStateException(closedForReading);
      }
      return null;
    }

    public String endIfDrained() {
      return messages.isEmpty() && inputEnd != null ? inputEnd.chatEnd().code().name() : null;
    }
  }
}
