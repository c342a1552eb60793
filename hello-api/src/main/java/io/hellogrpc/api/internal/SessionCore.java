package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * What a chat session is on either side of the call: an {@link InboundQueue} to read from, an
 * {@link OutboundGate} to send through, and one end, recorded once, that wakes everyone waiting.
 */
public abstract class SessionCore {
  protected final InboundQueue inbound;
  protected final OutboundGate outbound;
  private final int maxMessageBytes;
  private final AtomicReference<SessionEnd> end = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  protected SessionCore(
      int bufferSize, int maxMessageBytes, IntConsumer request, OutboundGate.Transport transport) {
    this(bufferSize, maxMessageBytes, request, transport, HeldBytes.NONE);
  }

  /** @param held counts the messages buffered for the reader (a server's memory budget) */
  protected SessionCore(
      int bufferSize,
      int maxMessageBytes,
      IntConsumer request,
      OutboundGate.Transport transport,
      HeldBytes held) {
    this(bufferSize, maxMessageBytes, request, transport, held, null);
  }

  /** @param pacing hears senders block on flow control and resume; null for nobody */
  protected SessionCore(
      int bufferSize,
      int maxMessageBytes,
      IntConsumer request,
      OutboundGate.Transport transport,
      HeldBytes held,
      OutboundGate.Pacing pacing) {
    this.inbound = new InboundQueue(bufferSize, request, held);
    this.outbound = new OutboundGate(transport, pacing);
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Checks the message, then sends it once the transport is ready. See the public interfaces. */
  public void send(String message) throws InterruptedException {
    OutboundMessages.check(message, maxMessageBytes);
    SessionEnd ended = end.get();
    if (ended != null) {
      // Recorded, but the thread ending the session may not have told the gate yet: a sender
      // that can see the end must not get a message out.
      outbound.end(ended, null);
    }
    outbound.send(message);
  }

  /**
   * Checks the message, then takes it if the transport can take it now, without waiting; see
   * {@link OutboundGate#trySend}.
   *
   * @return false, having taken nothing, while the transport cannot take it
   */
  public boolean trySend(String message) {
    OutboundMessages.check(message, maxMessageBytes);
    SessionEnd ended = end.get();
    if (ended != null) {
      outbound.end(ended, null); // as in send: a sender that can see the end gets nothing out
    }
    return outbound.trySend(message);
  }

  public long sentCount() {
    return outbound.sent();
  }

  public long receivedCount() {
    return inbound.arrived();
  }

  public Optional<ChatEnd> end() {
    SessionEnd ended = end.get();
    return ended == null ? Optional.empty() : Optional.of(ended.chatEnd());
  }

  public Optional<ChatEnd> awaitEnd(Duration timeout) throws InterruptedException {
    ended.await(nanos(timeout), TimeUnit.NANOSECONDS);
    return end();
  }

  protected final String takeMessage() throws InterruptedException {
    return inbound.take();
  }

  protected final String pollMessage(Duration timeout) throws InterruptedException {
    return inbound.poll(nanos(timeout));
  }

  /**
   * Records the end if it is the first, wakes every blocked reader and sender, and has
   * {@code transportAction} (cancel, close) run in turn with sends: here, or by the thread sending
   * at the moment, once its message is out (see {@link OutboundGate}).
   *
   * @param transportAction null when the transport has ended the call itself
   * @return true if this call ended the session
   */
  protected final boolean finish(SessionEnd reason, Runnable transportAction) {
    if (!end.compareAndSet(null, reason)) {
      return false;
    }
    // Senders first: a reader that sees the end must find sending ended too.
    outbound.end(reason, transportAction);
    inbound.endInput(reason);
    ended.countDown();
    ended(reason);
    return true;
  }

  /** Called once, by whichever thread ended the session, after everyone waiting was woken. */
  protected void ended(SessionEnd reason) {}

  /** A single-pass view that takes messages until input ends; an error end is thrown. */
  protected final Iterable<String> takingIterable() {
    return () ->
        new Iterator<>() {
          private String next;
          private boolean done;

          @Override
          public boolean hasNext() {
            if (next == null && !done) {
              try {
                next = takeMessage();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelloException(
                    StatusCode.CANCELLED, "interrupted while waiting for the next message", e);
              }
              done = next == null;
            }
            return next != null;
          }

          @Override
          public String next() {
            if (!hasNext()) {
              throw new NoSuchElementException("the session has no more messages");
            }
            String message = next;
            next = null;
            return message;
          }
        };
  }

  private static long nanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return timeout.isNegative() ? 0 : Durations.saturatedNanos(timeout);
  }
}
