package io.hellogrpc.benchmarks.jmh;

import io.hellogrpc.api.internal.OutboundGate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link OutboundGate}: what {@code send} costs on its way to a transport that is always ready,
 * from one sender and from four senders sharing one session (the gate serializes them; one of
 * them drains for the others). {@code transportWork} makes the transport's {@code sendMessage}
 * cost something ({@link Blackhole#consumeCPU} tokens), since how long the drainer spends there
 * decides how much senders queue behind it: {@code -p transportWork=0,200}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutboundGateBenchmark {
  static final String MESSAGE = "123456";

  @Param({"0"})
  public long transportWork;

  ReadyTransport transport;
  OutboundGate gate;

  /** Ready at every message; counts what it is given. Only the gate's drainer calls it. */
  static final class ReadyTransport implements OutboundGate.Transport {
    private final long work;
    private long sent;

    ReadyTransport(long work) {
      this.work = work;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void sendMessage(String message) {
      if (work > 0) {
        Blackhole.consumeCPU(work);
      }
      sent++;
    }

    long sent() {
      return sent;
    }
  }

  @Setup
  public void setUp() {
    transport = new ReadyTransport(transportWork);
    gate = new OutboundGate(transport);
  }

  @Benchmark
  @Threads(1)
  public void send() throws InterruptedException {
    gate.send(MESSAGE);
  }

  @Benchmark
  @Threads(4)
  public void sendContended() throws InterruptedException {
    gate.send(MESSAGE);
  }
}
