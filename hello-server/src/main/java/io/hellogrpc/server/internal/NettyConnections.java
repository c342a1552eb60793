package io.hellogrpc.server.internal;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's TCP connections, one by one. grpc serves connections but gives no handle on a
 * single one; a server that must close a connection that misbehaves needs its own. This class owns
 * the transport's event loops and puts a handler on the listening socket, ahead of Netty's own
 * acceptor, that registers every accepted connection under its remote address: the address grpc
 * reports for each call on it ({@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}).
 */
final class NettyConnections {
  private static final boolean EPOLL = Epoll.isAvailable();

  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final Map<SocketAddress, Connection> open = new ConcurrentHashMap<>();
  private final ChannelHandler registrar = new Registrar();

  NettyConnections() {
    GrpcLogThrottle.install();
    this.acceptor = group(1, "hello-server-accept");
    // As many as grpc's default server gives itself: two per core.
    this.workers =
        group(2 * Runtime.getRuntime().availableProcessors(), "hello-server-transport");
  }

  private static EventLoopGroup group(int threads, String name) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    // Daemon threads: a server the application forgot to close never keeps its JVM alive.
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  /** Serves {@code netty}'s connections on these event loops, registering each. */
  NettyServerBuilder applyTo(NettyServerBuilder netty) {
    return netty
        .bossEventLoopGroup(acceptor)
        .workerEventLoopGroup(workers)
        .channelFactory(this::newListeningChannel);
  }

  private ServerChannel newListeningChannel() {
    ServerChannel channel = EPOLL ? new EpollServerSocketChannel() : new NioServerSocketChannel();
    channel.pipeline().addLast(registrar); // before the acceptor Netty's bootstrap adds later
    return channel;
  }

  /** The open connection from {@code remote}, or null if there is none (any more). */
  Connection find(SocketAddress remote) {
    Connection connection = open.get(remote);
    return connection != null && connection.isOpen() ? connection : null;
  }

  /** The connections registered now, open or closing. */
  Iterable<Connection> all() {
    return open.values();
  }

  /** Stops the event loops. After the server has terminated: nothing is left for them to do. */
  void shutdown() {
    acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  /** Reads, on the listening socket, each accepted connection before Netty's acceptor does. */
  @ChannelHandler.Sharable
  private final class Registrar extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object accepted) {
      Channel channel = (Channel) accepted;
      SocketAddress remote = channel.remoteAddress();
      if (remote != null) {
        channel.pipeline().addFirst(Connection.CUTTER, new ChannelDuplexHandler());
        Connection connection = new Connection(channel);
        open.put(remote, connection);
        channel.closeFuture().addListener(closed -> open.remove(remote, connection));
      }
      context.fireChannelRead(accepted);
    }
  }

  /** One accepted connection, and what the server counts against it. */
  static final class Connection {
    /**
     * A handler at the front of the connection's pipeline. Closing from its place goes straight
     * to the socket; closing the channel itself would go through grpc's HTTP/2 handler, which
     * closes gracefully: GOAWAY, then it waits for the streams still open.
     */
    static final String CUTTER = "hello-connection-cutter";

    private final Channel channel;
    private final SocketAddress remote;
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();
    private long resetWindowStart;
    private int resetsInWindow;

    private Connection(Channel channel) {
      this.channel = channel;
      this.remote = channel.remoteAddress();
    }

    SocketAddress remote() {
      return remote;
    }

    boolean isOpen() {
      return channel.isActive();
    }

    /** Whether {@link #cut()} was called. */
    boolean isCut() {
      return cut.get();
    }

    /**
     * Closes it, without a GOAWAY: its calls end on their own, UNAVAILABLE. The close runs on the
     * connection's event loop after what it is doing now, never inside the caller, which may be
     * in the middle of one of the connection's own callbacks.
     *
     * @return false if it was cut already
     */
    boolean cut() {
      if (!cut.compareAndSet(false, true)) {
        return false;
      }
      channel.eventLoop().execute(
          () -> {
            ChannelHandlerContext front = channel.pipeline().context(CUTTER);
            if (front != null) {
              front.close();
            } else {
              channel.close();
            }
          });
      return true;
    }

    /** Runs {@code task} on the connection's event loop after {@code delay}, in turn with grpc. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
      return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The bytes the server holds for this connection's messages (see MemoryBudget). */
    AtomicLong heldBytes() {
      return heldBytes;
    }

    /**
     * Counts a reset in a fixed window, as grpc's own counter does: the window restarts at the
     * first reset after it has passed.
     *
     * @return the resets counted in the current window, this one included
     */
    synchronized int countReset(long nowNanos, long windowNanos) {
      if (resetsInWindow == 0 || nowNanos - resetWindowStart > windowNanos) {
        resetWindowStart = nowNanos;
        resetsInWindow = 0;
      }
      return ++resetsInWindow;
    }
  }
}
