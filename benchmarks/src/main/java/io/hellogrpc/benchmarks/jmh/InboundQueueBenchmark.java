package io.hellogrpc.benchmarks.jmh;

import io.hellogrpc.api.internal.InboundQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * {@link InboundQueue}: a message's way from the transport to the reader, with the flow control
 * that goes with it ({@code request(n)} to a {@link FakeInboundTransport} that delivers only
 * against credit). Off a Netty event loop, so a waiting reader is signalled at once rather than at
 * the end of a read.
 *
 * <ul>
 *   <li>{@code addThenTake}: one thread, one message in and out: the uncontended cost.
 *   <li>{@code batch}: one thread, a read's worth of messages in, then all taken.
 *   <li>{@code handoff}: a transport thread adding and a reader thread taking, as in a session;
 *       the figure is per message on each side.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InboundQueueBenchmark {
  static final String MESSAGE = "hello:123456";
  static final int BATCH = 64;

  /** One queue used by one thread, at the default receive buffer. */
  @State(Scope.Thread)
  public static class OneThread {
    @Param({"256"})
    public int capacity;

    FakeInboundTransport transport;
    InboundQueue queue;

    @Setup
    public void setUp() {
      transport = new FakeInboundTransport();
      queue = new InboundQueue(capacity, transport);
      queue.start();
    }

    void deliver() {
      if (!transport.tryTakeCredit()) {
        throw new IllegalStateException("the queue granted no room for the next message");
      }
      queue.add(MESSAGE);
    }
  }

  /** One queue between a transport thread and a reader thread. */
  @State(Scope.Group)
  public static class Shared {
    @Param({"256"})
    public int capacity;

    FakeInboundTransport transport;
    InboundQueue queue;

    @Setup
    public void setUp() {
      transport = new FakeInboundTransport();
      queue = new InboundQueue(capacity, transport);
      queue.start();
    }
  }

  @Benchmark
  public String addThenTake(OneThread state) throws InterruptedException {
    state.deliver();
    return state.queue.take();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void batch(OneThread state, Blackhole blackhole) throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      state.deliver();
    }
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(state.queue.take());
    }
  }

  /** The transport thread: delivers whenever the queue has granted room, else spins. */
  @Benchmark
  @Group("handoff")
  @GroupThreads(1)
  public void transport(Shared state, Control control) {
    while (!state.transport.tryTakeCredit()) {
      if (control.stopMeasurement) {
        return;
      }
      Thread.onSpinWait();
    }
    state.queue.add(MESSAGE);
  }

  /** The reader: takes the next message, waiting for it as a session's reader does. */
  @Benchmark
  @Group("handoff")
  @GroupThreads(1)
  public String reader(Shared state, Control control) throws InterruptedException {
    String message;
    do { // a bounded wait, so the reader notices the end of the iteration
      message = state.queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
    } while (message == null && !control.stopMeasurement);
    return message;
  }
}
