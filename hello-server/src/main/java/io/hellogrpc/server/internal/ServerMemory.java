package io.hellogrpc.server.internal;

import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;

/** What the JVM lets the server use, for the defaults that bound it. */
public final class ServerMemory {
  private ServerMemory() {}

  /**
   * An eighth of the smaller of the JVM's maximum heap and its maximum direct memory: messages
   * are held in both (received bytes and replies in direct buffers, decoded text on the heap),
   * and Netty reserves direct memory in whole chunks, well above the bytes it holds.
   */
  public static long defaultBudget() {
    long heap = Runtime.getRuntime().maxMemory();
    long direct = PlatformDependent.maxDirectMemory();
    long smaller = direct > 0 ? Math.min(heap, direct) : heap;
    return Math.max(1, smaller / 8);
  }
}
