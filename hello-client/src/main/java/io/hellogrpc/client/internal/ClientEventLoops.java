package io.hellogrpc.client.internal;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client's event loops: a group of its own for each of its channels, up to one loop per core in
 * all, after which channels share the groups in turn. A group has one loop, or, for a client of
 * several addresses, one per address up to one per core, so that its connections do not all share
 * one thread.
 *
 * <p>Why not grpc's default, one group of two loops per core shared by the JVM's channels: grpc
 * schedules a call's deadline timer on its channel's group, which hands it to its loops in turn,
 * and Netty wakes a sleeping loop for every timer scheduled from another thread. With several loops
 * a {@code hello()} (which has a deadline by default) woke a loop that had nothing else to do for
 * most calls, besides the one carrying the call; in a group of one, the timer goes to the loop the
 * call is about to wake anyway. Threads start with their channel's first connection; all are
 * daemons.
 */
final class ClientEventLoops {
  static final String THREAD_NAME = "hello-client-transport";
  private static final boolean EPOLL = Epoll.isAvailable();

  private final int loopsPerGroup;
  private final int maxGroups;
  private final List<EventLoopGroup> groups = new ArrayList<>(); // guarded by this
  private int shared; // channels given a group already handed out; guarded by this

  /** For a client of {@code addresses} addresses, or of one target (1). */
  static ClientEventLoops forAddresses(int addresses) {
    return new ClientEventLoops(Runtime.getRuntime().availableProcessors(), addresses);
  }

  /** At most {@code maxLoops} loops in all, in groups of {@code min(maxLoops, width)} loops. */
  ClientEventLoops(int maxLoops, int width) {
    this.loopsPerGroup = Math.max(1, Math.min(maxLoops, width));
    this.maxGroups = Math.max(1, maxLoops / loopsPerGroup);
  }

  /** The group for a new channel: a new one while there are fewer than the most, else the next. */
  synchronized EventLoopGroup forNewChannel() {
    if (groups.size() < maxGroups) {
      IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      // Added only once made: a group that failed to open its selector leaves nothing behind.
      groups.add(
          new MultiThreadIoEventLoopGroup(
              loopsPerGroup, new DefaultThreadFactory(THREAD_NAME, true), io));
      return groups.get(groups.size() - 1);
    }
    return groups.get(shared++ % groups.size());
  }

  /** The kind of socket these loops serve. */
  static Class<? extends SocketChannel> socketType() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Stops the loops. After the channels have terminated: nothing is left for the loops to do. */
  void shutdown() {
    for (EventLoopGroup group : all()) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /** Waits until every loop's thread has ended, or {@code deadlineNanos} (System.nanoTime()). */
  boolean awaitTermination(long deadlineNanos) throws InterruptedException {
    for (EventLoopGroup group : all()) {
      if (!group.awaitTermination(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  private synchronized List<EventLoopGroup> all() {
    return List.copyOf(groups);
  }
}
