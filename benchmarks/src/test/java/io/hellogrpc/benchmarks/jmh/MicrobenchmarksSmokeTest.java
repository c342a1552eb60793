package io.hellogrpc.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * Every microbenchmark's method, called directly a few times: each does the work it claims to
 * measure, and the fakes behave as the real transport would (no delivery beyond the credit the
 * queue granted). Not a measurement: JMH runs them, the build never does.
 */
@Timeout(60)
class MicrobenchmarksSmokeTest {
  private static final Blackhole BLACKHOLE =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @ParameterizedTest
  @ValueSource(ints = {6, 1024})
  void codecEncodesAndDecodesTheSameMessageBothWays(int chars) throws Exception {
    CodecBenchmark codec = new CodecBenchmark();
    codec.chars = chars;
    codec.setUp();
    String message = Texts.digits(chars);

    long afterLibrary = codec.encode();
    long afterGenerated = codec.encodeGenerated();

    assertThat(afterGenerated - afterLibrary)
        .as("the library drains as many bytes as the generated class")
        .isEqualTo(afterLibrary);
    assertThat(codec.decodeReply()).isEqualTo(message);
    assertThat(codec.decodeRequest()).isEqualTo(message);
    assertThat(codec.decodeGenerated()).isEqualTo(message);
    assertThat(codec.check()).isEqualTo(message);
  }

  @Test
  void inboundQueueDeliversOnlyAgainstCreditAndGrantsItBack() throws Exception {
    InboundQueueBenchmark benchmark = new InboundQueueBenchmark();
    InboundQueueBenchmark.OneThread state = new InboundQueueBenchmark.OneThread();
    state.capacity = 256;
    state.setUp();

    for (int i = 0; i < 1_000; i++) { // several times the capacity: room must come back
      assertThat(benchmark.addThenTake(state)).isEqualTo(InboundQueueBenchmark.MESSAGE);
    }
    for (int i = 0; i < 20; i++) {
      benchmark.batch(state, BLACKHOLE);
    }

    assertThat(state.queue.size()).isZero();
    assertThat(state.queue.arrived()).isEqualTo(1_000 + 20 * InboundQueueBenchmark.BATCH);
    assertThat(state.transport.granted() - state.transport.credit())
        .as("messages delivered against credit")
        .isEqualTo(state.queue.arrived());
  }

  @Test
  void inboundQueueHandsOffBetweenTwoThreadsUntilTold() throws Exception {
    InboundQueueBenchmark benchmark = new InboundQueueBenchmark();
    InboundQueueBenchmark.Shared state = new InboundQueueBenchmark.Shared();
    state.capacity = 16;
    state.setUp();
    Control control = new Control();
    int messages = 5_000;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> transport =
          threads.submit(
              () -> {
                for (int i = 0; i < messages; i++) {
                  benchmark.transport(state, control);
                }
              });
      Future<Integer> reader =
          threads.submit(
              () -> {
                int taken = 0;
                for (int i = 0; i < messages; i++) {
                  if (InboundQueueBenchmark.MESSAGE.equals(benchmark.reader(state, control))) {
                    taken++;
                  }
                }
                return taken;
              });
      transport.get(30, TimeUnit.SECONDS);
      assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(messages);

      control.stopMeasurement = true; // JMH's end of iteration: neither side may hang on
      assertThat(benchmark.reader(state, control)).isNull();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void outboundGateSendsEveryMessageFromOneAndFromFourSenders() throws Exception {
    OutboundGateBenchmark benchmark = new OutboundGateBenchmark();
    benchmark.transportWork = 10;
    benchmark.setUp();

    for (int i = 0; i < 1_000; i++) {
      benchmark.send();
    }
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(
            () -> {
              for (int i = 0; i < 1_000; i++) {
                benchmark.sendContended();
              }
              return null;
            });
      }
      for (Future<Void> done : senders.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
        done.get();
      }
    } finally {
      senders.shutdownNow();
    }

    assertThat(benchmark.gate.sent()).isEqualTo(5_000);
    assertThat(benchmark.transport.sent()).isEqualTo(5_000);
  }
}
