package io.hellogrpc.client.internal;

import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The client's connections: one grpc channel to begin with, and another whenever every channel
 * already carries {@code maxCallsPerChannel} calls, as HTTP/2 connection pools do.
 *
 * <p>Why: a server limits the streams open at once on one connection
 * ({@code MAX_CONCURRENT_STREAMS}; a HelloServer allows 1,000 by default), and grpc's client
 * quietly queues a call beyond that limit until another ends. A client holding more sessions than
 * one connection allows would see its next session wait, silently and without bound. Channels are
 * kept until the client closes; grpc lets an idle channel's connection go on its own.
 */
final class ConnectionPool {
  /** One channel and the calls it carries now. Releasing a lease gives its slot back. */
  static final class Lease {
    private final ManagedChannel channel;
    private final AtomicInteger calls = new AtomicInteger();

    private Lease(ManagedChannel channel) {
      this.channel = channel;
    }

    ManagedChannel channel() {
      return channel;
    }

    void release() {
      calls.decrementAndGet();
    }
  }

  private final Supplier<ManagedChannel> newChannel;
  private final int maxCallsPerChannel;
  private final List<Lease> channels = new CopyOnWriteArrayList<>();
  private final ReentrantLock growing = new ReentrantLock();
  private volatile boolean shutdown;

  /** Creates the first channel now, so that settings grpc refuses fail at once. */
  ConnectionPool(Supplier<ManagedChannel> newChannel, int maxCallsPerChannel) {
    this.newChannel = newChannel;
    this.maxCallsPerChannel = maxCallsPerChannel;
    channels.add(new Lease(newChannel.get()));
  }

  /**
   * A channel with room for one more call, counted until {@link Lease#release()}. After shutdown,
   * the first channel, which refuses the call saying it is shut down.
   */
  Lease acquire() {
    Lease lease = tryAcquire();
    if (lease != null) {
      return lease;
    }
    growing.lock();
    try {
      lease = tryAcquire(); // another thread may have grown the pool meanwhile
      if (lease != null) {
        return lease;
      }
      if (shutdown) {
        lease = channels.get(0);
        lease.calls.incrementAndGet();
        return lease;
      }
      lease = new Lease(newChannel.get());
      lease.calls.incrementAndGet();
      channels.add(lease);
      return lease;
    } finally {
      growing.unlock();
    }
  }

  private Lease tryAcquire() {
    for (Lease lease : channels) {
      for (int calls = lease.calls.get(); calls < maxCallsPerChannel; calls = lease.calls.get()) {
        if (lease.calls.compareAndSet(calls, calls + 1)) {
          return lease;
        }
      }
    }
    return null;
  }

  /** How many channels the pool holds now. */
  int size() {
    return channels.size();
  }

  void shutdown() {
    growing.lock();
    try {
      shutdown = true;
    } finally {
      growing.unlock();
    }
    channels.forEach(lease -> lease.channel.shutdown());
  }

  void shutdownNow() {
    shutdown();
    channels.forEach(lease -> lease.channel.shutdownNow());
  }

  /** Waits until every channel has terminated, or {@code deadlineNanos} (System.nanoTime()). */
  boolean awaitTermination(long deadlineNanos) throws InterruptedException {
    for (Lease lease : channels) {
      if (!lease.channel.awaitTermination(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
