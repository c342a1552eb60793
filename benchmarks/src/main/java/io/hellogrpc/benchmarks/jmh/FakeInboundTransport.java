package io.hellogrpc.benchmarks.jmh;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The transport side of an {@link io.hellogrpc.api.internal.InboundQueue}: it keeps the credit the
 * queue's {@code request(n)} grants, and delivers a message only against credit, as grpc does.
 */
final class FakeInboundTransport implements IntConsumer {
  private final AtomicLong credit = new AtomicLong();
  private final AtomicLong granted = new AtomicLong();

  @Override
  public void accept(int messages) {
    granted.addAndGet(messages);
    credit.addAndGet(messages);
  }

  /** Takes one message's credit if there is any. */
  boolean tryTakeCredit() {
    long now = credit.get();
    while (now > 0) {
      if (credit.compareAndSet(now, now - 1)) {
        return true;
      }
      now = credit.get();
    }
    return false;
  }

  /** Messages the queue asked for so far. */
  long granted() {
    return granted.get();
  }

  /** Credit not used yet. */
  long credit() {
    return credit.get();
  }
}
