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
 * A client's event loops: one for each of its channels, up to one per core, after which channels
 * share them in turn. Each loop is an event loop group of its own, given to its channels.
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
  private static final boolean EPOLL = Epoll.isAvailable();

  private final int maxLoops;
  private final List<EventLoopGroup> loops = new ArrayList<>(); // guarded by this
  private int handedOut; // guarded by this

  ClientEventLoops() {
    this(Runtime.getRuntime().availableProcessors());
  }

  ClientEventLoops(int maxLoops) {
    this.maxLoops = maxLoops;
  }

  /** The loop for a new channel: a new one while there are fewer than the most, else the next. */
  synchronized EventLoopGroup forNewChannel() {
    int index = handedOut++ % maxLoops;
    if (index == loops.size()) {
      IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      loops.add(
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory("hello-client-transport", true), io));
    }
    return loops.get(index);
  }

  /** The kind of socket these loops serve. */
  static Class<? extends SocketChannel> socketType() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** How many loops there are now. */
  synchronized int size() {
    return loops.size();
  }

  /** Stops the loops. After the channels have terminated: nothing is left for the loops to do. */
  void shutdown() {
    for (EventLoopGroup loop : all()) {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /** Waits until every loop's thread has ended, or {@code deadlineNanos} (System.nanoTime()). */
  boolean awaitTermination(long deadlineNanos) throws InterruptedException {
    for (EventLoopGroup loop : all()) {
      if (!loop.awaitTermination(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  private synchronized List<EventLoopGroup> all() {
    return List.copyOf(loops);
  }
}
