package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.internal.EventLoopDeferral;
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
}
