package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leak check the other tests rely on finds a leak when there is one. */
@Timeout(60)
class LeakDetectionTest {
  @Test
  void aPooledBufferNeverReleasedIsReportedWithWhereItWasAllocated() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    NettyLeaks.install();
    NettyLeaks.newReports(); // start from a clean slate

    leakOne();

    assertThat(NettyLeaks.newReports())
        .singleElement()
        .asString()
        .startsWith("LEAK: ByteBuf.release() was not called")
        .contains(LeakDetectionTest.class.getName() + ".leakOne");
  }

  private static void leakOne() {
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(32); // as grpc allocates for I/O
    buffer.writeInt(7); // and never released
  }
}
