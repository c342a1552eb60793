package io.hellogrpc.server.internal;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Applies {@link ServerConfig.Limits} to the Netty transport. */
final class ConnectionLimits {
  private ConnectionLimits() {}

  static NettyServerBuilder applyTo(NettyServerBuilder netty, ServerConfig.Limits limits) {
    netty
        .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
        .handshakeTimeout(nanos(limits.handshakeTimeout()), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(nanos(limits.permitKeepAliveTime()), TimeUnit.NANOSECONDS);
    if (limits.maxRstFrames() > 0) {
      netty.maxRstFramesPerWindow(limits.maxRstFrames(), (int) limits.rstWindow().toSeconds());
    }
    if (limits.keepAliveTime() != null) {
      netty.keepAliveTime(nanos(limits.keepAliveTime()), TimeUnit.NANOSECONDS);
    }
    if (limits.keepAliveTimeout() != null) {
      netty.keepAliveTimeout(nanos(limits.keepAliveTimeout()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionIdle() != null) {
      netty.maxConnectionIdle(nanos(limits.maxConnectionIdle()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionAge() != null) {
      netty.maxConnectionAge(nanos(limits.maxConnectionAge()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionAgeGrace() != null) {
      netty.maxConnectionAgeGrace(nanos(limits.maxConnectionAgeGrace()), TimeUnit.NANOSECONDS);
    }
    return netty;
  }

  /** grpc reads a huge value as "no limit"; Duration.toNanos would overflow past 292 years. */
  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
