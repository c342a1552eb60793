package io.hellogrpc.api.internal;

import io.grpc.Metadata;
import io.hellogrpc.api.StatusCode;
import java.util.function.LongSupplier;

/** Two observers as one: each is told everything, the first first. */
public final class Observers {
  private Observers() {}

  /** Both of them, or whichever is not null; null if both are. */
  public static Observer both(Observer first, Observer second) {
    if (first == null) {
      return second;
    }
    if (second == null) {
      return first;
    }
    return (kind, headers, peerHost, peerPort) ->
        both(
            first.start(kind, headers, peerHost, peerPort),
            second.start(kind, headers, peerHost, peerPort));
  }

  private static Probe both(Probe first, Probe second) {
    return new Probe() {
      @Override
      public void counts(LongSupplier sent, LongSupplier received) {
        first.counts(sent, received);
        second.counts(sent, received);
      }

      @Override
      public void buffer(ReceiveBuffer buffer) {
        first.buffer(buffer);
        second.buffer(buffer);
      }

      @Override
      public Runnable wrap(Runnable task) {
        return second.wrap(first.wrap(task));
      }

      @Override
      public void failed(Throwable failure) {
        first.failed(failure);
        second.failed(failure);
      }

      @Override
      public void ended(StatusCode code, String description) {
        first.ended(code, description);
        second.ended(code, description);
      }

      @Override
      public void senderBlocked() {
        first.senderBlocked();
        second.senderBlocked();
      }

      @Override
      public void senderResumed(long blockedNanos) {
        first.senderResumed(blockedNanos);
        second.senderResumed(blockedNanos);
      }
    };
  }
}
