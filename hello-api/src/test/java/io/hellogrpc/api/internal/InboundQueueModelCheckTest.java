package io.hellogrpc.api.internal;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model checks of {@link InboundQueue}: Lincheck explores the interleavings of hand-written
 * scenarios ({@link ModelChecks}) and reports an execution that hangs, throws, or fails a check.
 */
class InboundQueueModelCheckTest {

  /**
   * Readers, arrivals, ends and discards racing: each execution's results are those of some
   * one-at-a-time order of the same calls ({@link InboundQueueBuffer.Spec}). So messages come out
   * in order, once, none lost; the end after everything buffered; a failure over a normal end.
   */
  @Test
  void readersSeeWhatOneCallAtATimeWouldGive() {
    ModelChecks.of(InboundQueueBuffer.class)
        .linearizableTo(InboundQueueBuffer.Spec.class)
        .invocationsPerScenario(20)
        .scenario(List.of("add", "add"), List.of(List.of("tryPoll"), List.of("tryPoll")))
        .scenario(List.of(), List.of(List.of("add", "add"), List.of("poll", "poll")))
        .scenario(List.of("add"), List.of(List.of("poll", "poll"), List.of("endInputFailed")))
        .scenario(
            List.of(), List.of(List.of("endInputCompleted", "poll"), List.of("endInputFailed")))
        .scenario(List.of(), List.of(List.of("add", "add"), List.of("discard", "tryPoll")))
        .scenario(
            List.of("add"),
            List.of(List.of("closeForReading", "poll"), List.of("endInputCompleted")))
        .scenario(
            List.of("add"),
            List.of(List.of("add", "endInputCompleted"), List.of("poll", "endIfDrained")))
        .check();
  }

  /**
   * The transport delivers inside {@code request(n)}, on the reading thread, as in-process grpc
   * does: room a read frees is asked back at once and never past the capacity, nothing is asked
   * for once input has ended, no lock is held across {@code request(n)}, nothing is lost, and the
   * count of what is held ({@link HeldBytes}) never goes below zero and ends at what is buffered.
   */
  @Test
  void freedRoomIsAskedBackAndNeverPastTheCapacity() {
    ModelChecks.of(InboundQueueFlow.class, InboundQueueFlow.Transport.class)
        .invocationsPerScenario(30)
        // room: messages arrive on the peer's thread while the reader takes them
        .scenario(
            List.of(), List.of(List.of("tryPoll", "tryPoll"), List.of("peerSends", "peerSends")))
        // full: the peer's next message waits until a read frees room, and arrives inside it
        .scenario(
            List.of("peerSends", "peerSends"),
            List.of(List.of("tryPoll", "tryPoll"), List.of("peerSends", "peerSends")))
        .scenario(
            List.of("peerSends", "peerSends"),
            List.of(List.of("discard"), List.of("peerSends", "peerSends")))
        .scenario(
            List.of("peerSends", "peerSends"),
            List.of(List.of("tryPoll", "tryPoll"), List.of("cancelled")))
        .scenario(
            List.of("peerSends"),
            List.of(List.of("tryPoll", "tryPoll"), List.of("peerSends", "peerCompletes")))
        .check();
  }

  /**
   * A reader waiting in {@code take()} wakes when a message arrives, when the peer half-closes,
   * when the call is cancelled, and when the session stops reading; two waiting readers both wake.
   * A reader left waiting fails the check: Lincheck reports the execution as hung.
   */
  @Test
  void aWaitingReaderWakesOnArrivalAndOnEveryEnd() {
    ModelChecks.of(InboundQueueFlow.class, InboundQueueFlow.Transport.class)
        .invocationsPerScenario(20)
        .race("take", "peerSends")
        .race("take", "peerCompletes")
        .race("take", "cancelled")
        .race("take", "closeForReading")
        // the third message waits for room: a reader's take asks for it, and it arrives inside
        .scenario(
            List.of("peerSends", "peerSends", "peerSends"),
            List.of(List.of("take", "take"), List.of("take")))
        .check();
  }
}
