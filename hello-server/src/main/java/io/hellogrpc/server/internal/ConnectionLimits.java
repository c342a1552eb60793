package io.hellogrpc.server.internal;

import static io.hellogrpc.api.internal.Durations.saturatedNanos;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@link ServerConfig.Limits} to the Netty transport. grpc reads a huge duration as "no
 * limit", so one too long to count in nanoseconds is passed as the longest there is.
 */
final class ConnectionLimits {
  /** grpc's reset counter, as a backstop: this many times the limit on unanswered resets. */
  static final int BACKSTOP_FACTOR = 50;

  /**
   * The default maxConnections is half the file descriptors the process may open, and at most
   * this many: each connection takes one descriptor, and about 6 KiB of heap while it is idle.
   */
  static final int MAX_CONNECTIONS_CEILING = 10_000;

  private ConnectionLimits() {}

  /** The maxConnections to enforce: the one set, or the default. */
  static int maxConnections(ServerConfig.Limits limits) {
    return limits.maxConnections() != null
        ? limits.maxConnections()
        : defaultMaxConnections(descriptorLimit());
  }

  /**
   * Half of {@code descriptorLimit}, so that the process keeps the other half for everything
   * else it opens (files, its own clients' connections, the JVM's jars), and at most
   * {@link #MAX_CONNECTIONS_CEILING}; the ceiling when the limit is unknown (0 or less), as on
   * Windows, which has no such limit.
   */
  static int defaultMaxConnections(long descriptorLimit) {
    if (descriptorLimit <= 0) {
      return MAX_CONNECTIONS_CEILING;
    }
    return (int) Math.max(1, Math.min(MAX_CONNECTIONS_CEILING, descriptorLimit / 2));
  }

  /**
   * The most file descriptors this process may have open (on Linux, the JVM raises its soft
   * limit to the hard one as it starts), or -1 where the JVM cannot tell.
   */
  static long descriptorLimit() {
    try {
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
        return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
      }
    } catch (LinkageError | RuntimeException e) {
      // a runtime without java.management or jdk.management: the limit is unknown
    }
    return -1;
  }

  static NettyServerBuilder applyTo(NettyServerBuilder netty, ServerConfig.Limits limits) {
    netty
        // The HTTP/2 windows (each stream's and the connection's) bound the received bytes the
        // server holds, not yet decoded, in direct memory for sessions that stopped requesting.
        // grpc's auto-tuning grows them while a client sends fast, which is what a flood does:
        // 100 streams that never read made a -Xmx64m server take 60-90 MiB of direct memory, run
        // out and drop the connection (BoundedHeapTest). At grpc's fixed 1 MiB: 10-14 MiB.
        .flowControlWindow(NettyServerBuilder.DEFAULT_FLOW_CONTROL_WINDOW)
        .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
        .handshakeTimeout(saturatedNanos(limits.handshakeTimeout()), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(saturatedNanos(limits.permitKeepAliveTime()), TimeUnit.NANOSECONDS);
    if (limits.maxRstFrames() > 0) {
      // The limit itself is UnansweredResets'. grpc's counter takes every reset, sent or received,
      // answered or not; far above it, it only stops floods UnansweredResets cannot see, such as
      // resets of calls to methods the server does not have.
      netty.maxRstFramesPerWindow(
          (int) Math.min(Integer.MAX_VALUE, BACKSTOP_FACTOR * (long) limits.maxRstFrames()),
          (int) limits.rstWindow().toSeconds());
    }
    if (limits.keepAliveTime() != null) {
      netty.keepAliveTime(saturatedNanos(limits.keepAliveTime()), TimeUnit.NANOSECONDS);
    }
    if (limits.keepAliveTimeout() != null) {
      netty.keepAliveTimeout(saturatedNanos(limits.keepAliveTimeout()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionIdle() != null) {
      netty.maxConnectionIdle(saturatedNanos(limits.maxConnectionIdle()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionAge() != null) {
      netty.maxConnectionAge(saturatedNanos(limits.maxConnectionAge()), TimeUnit.NANOSECONDS);
    }
    if (limits.maxConnectionAgeGrace() != null) {
      netty.maxConnectionAgeGrace(
          saturatedNanos(limits.maxConnectionAgeGrace()), TimeUnit.NANOSECONDS);
    }
    return netty;
  }
}
