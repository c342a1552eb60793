package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.DefaultEventLoop;
import io.hellogrpc.api.internal.EventLoopDeferral;
import io.hellogrpc.api.internal.InboundQueue;
import io.hellogrpc.testing.Background;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream path wakes readers once per read batch by finding Netty's event loop reflectively
 * (see EventLoopDeferral). If a grpc-netty-shaded upgrade moves it, everything still works, only
 * slower: this test says so instead.
 */
class EventLoopDeferralTest {
  @Test
  void nettysEventLoopsCanBeFoundWithTheShadedTransport() {
    assertThat(EventLoopDeferral.available()).isTrue();
  }

  @Test
  void offAnEventLoopTheCallerActsItself() {
    assertThat(EventLoopDeferral.runAfterCurrentBatch(() -> {})).isFalse();
  }

  @Test
  void aMessageArrivingOnAnEventLoopWakesAWaitingReaderAfterTheBatch() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      InboundQueue queue = new InboundQueue(4, n -> {});
      queue.start();
      Background<String> reader =
          Background.start("reader", () -> queue.poll(Duration.ofSeconds(30).toNanos()))
              .untilBlocked();
      Background<String> taker = Background.start("taker", queue::take).untilBlocked();

      loop.submit(
              () -> {
                assertThat(EventLoopDeferral.runAfterCurrentBatch(() -> {})).isTrue();
                queue.add("first"); // the wake-up is deferred to the end of this task
                queue.add("second");
              })
          .get(10, TimeUnit.SECONDS);

      assertThat(List.of(reader.get(), taker.get()))
          .containsExactlyInAnyOrder("first", "second");
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }
}
