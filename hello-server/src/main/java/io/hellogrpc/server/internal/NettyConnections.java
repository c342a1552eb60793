package io.hellogrpc.server.internal;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelConfig;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
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
import io.hellogrpc.api.internal.HeldBytes;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server's TCP connections, one by one. grpc serves connections but gives no handle on a
 * single one; a server that must close a connection that misbehaves, or refuse one too many, needs
 * its own. This class owns the transport's event loops and puts a handler on the listening socket,
 * ahead of Netty's own acceptor, that sees every accepted connection first: it closes at once one
 * over {@code maxConnections} or {@code maxConnectionsPerAddress}, before grpc spends anything on
 * it, and registers the others under their remote address, the address grpc reports for each call
 * on them ({@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}).
 *
 * <p>It also keeps accepting alive when accepting fails. A process out of file descriptors fails
 * {@code accept} with "Too many open files"; the connection waits in the kernel's backlog, and
 * accepting again at once would fail again in a loop. Netty's acceptor would pause for a second
 * and pass the failure on to the end of the pipeline, where Netty logs each one; here the pause is
 * ours, the log line throttled, and nothing on that path loads a class or reads a file lazily,
 * for either would need the descriptor the process does not have (once, the accept thread died
 * of a {@code NoClassDefFoundError} logging that very failure, and the server never accepted
 * again).
 */
final class NettyConnections {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");
  private static final boolean EPOLL = Epoll.isAvailable();
  /** How long accepting pauses after it failed: Netty's acceptor pauses as long. */
  static final Duration ACCEPT_PAUSE = Duration.ofSeconds(1);
  private static final Duration LOG_PERIOD = Duration.ofMinutes(1);

  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final Map<SocketAddress, Connection> open = new ConcurrentHashMap<>();
  private final Counts counts;
  private final ChannelHandler registrar = new Registrar();
  private final LogThrottle refusedForAddress = new LogThrottle(LOG_PERIOD);
  private final LogThrottle refusedForTotal = new LogThrottle(LOG_PERIOD);
  private final LogThrottle acceptFailures = new LogThrottle(LOG_PERIOD);

  /**
   * @param maxConnections the most connections open at once
   * @param maxConnectionsPerAddress the most from one IPv4 address or IPv6 /64 network
   */
  NettyConnections(int maxConnections, int maxConnectionsPerAddress) {
    GrpcLogThrottle.install();
    this.counts = new Counts(maxConnections, maxConnectionsPerAddress);
    this.acceptor = group(1, "hello-server-accept");
    // As many as grpc's default server gives itself: two per core.
    this.workers =
        group(2 * Runtime.getRuntime().availableProcessors(), "hello-server-transport");
    preload();
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
        // Netty's default allocator (adaptive in Netty 4.2), not grpc's pooled one, which gives
        // threads other than event loops no cache: handlers that reply from their own threads
        // (onChat, onHello) would take the pool's locks for every reply, as the client's senders did.
        .withChildOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
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

  /**
   * Loads now, while the process has descriptors to spare, what accepting and its failures need
   * later: a class read from a directory or from a jar not opened yet needs a descriptor, and so
   * does the time-zone database that java.util.logging's SimpleFormatter reads the first time it
   * writes a date. Without this, the first accept that fails for want of a descriptor could fail
   * again logging that, and an Error there ends the accept thread.
   */
  private void preload() {
    ClassLoader loader = NettyConnections.class.getClassLoader();
    for (Class<?> type :
        new Class<?>[] {
          Registrar.class, Counts.class, Refusal.class, Connection.class, Forget.class,
          Resume.class, LogThrottle.class
        }) {
      try {
        Class.forName(type.getName(), true, loader);
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e); // it is this class's own
      }
    }
    // Scheduling, as a failed accept does to resume: loads Netty's timer classes.
    acceptor.next().schedule(new Resume(null), 1, TimeUnit.DAYS).cancel(false);
    // The messages a refusal and a failed accept log, built once so that what builds them is
    // linked (string concatenation is bound at its first run).
    refusal(Refusal.TOO_MANY_FROM_ADDRESS, "127.0.0.1");
    refusal(Refusal.TOO_MANY, "127.0.0.1");
    acceptFailure(new InetSocketAddress(0), new IOException("Too many open files"));
    addressKey(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ZoneId.systemDefault().getRules();
    formatWithTheHandlersOf(logger);
  }

  /**
   * Formats, without publishing, a record with the formatter of every handler a record of
   * {@code logger} reaches, so that whatever formatting loads is loaded now.
   */
  private static void formatWithTheHandlersOf(Logger logger) {
    LogRecord record = new LogRecord(Level.WARNING, "preload");
    record.setLoggerName(logger.getName());
    try {
      for (Logger at = logger; at != null; at = at.getUseParentHandlers() ? at.getParent() : null) {
        for (Handler handler : at.getHandlers()) {
          Formatter formatter = handler.getFormatter();
          if (formatter != null) {
            formatter.format(record);
          }
        }
      }
    } catch (RuntimeException e) {
      // a host application's formatter that cannot format this record: nothing to preload there
    }
  }

  /**
   * What a per-address limit counts connections by: an IPv4 address, or the /64 network of an
   * IPv6 address, the block one host or site is given (an attacker with one has 2^64 addresses).
   */
  static String addressKey(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress)) {
      return null;
    }
    InetAddress address = ((InetSocketAddress) remote).getAddress();
    if (address == null) {
      return null;
    }
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    StringBuilder network = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
      network.append(':');
    }
    return network.append(":/64").toString();
  }

  private String refusal(Refusal refusal, String address) {
    if (refusal == Refusal.TOO_MANY_FROM_ADDRESS) {
      return "refused a connection from " + address + ": " + counts.maxPerAddress
          + " connections from there are open, as many as maxConnectionsPerAddress allows";
    }
    return "refused a connection from " + address + ": the server has " + counts.max
        + " connections open, as many as maxConnections allows";
  }

  private static String acceptFailure(SocketAddress local, Throwable cause) {
    String message = cause.getMessage();
    boolean outOfDescriptors = message != null && message.contains("Too many open files");
    return "could not accept a connection on " + local + " (" + cause + "); accepting again in "
        + ACCEPT_PAUSE.toMillis() + " ms"
        + (outOfDescriptors
            ? ". The process is out of file descriptors: lower maxConnections, or raise the"
                + " process's limit (ulimit -n)"
            : "");
  }

  /** Reads, on the listening socket, each accepted connection before Netty's acceptor does. */
  @ChannelHandler.Sharable
  private final class Registrar extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object accepted) {
      Channel channel = (Channel) accepted;
      boolean admitted;
      try {
        admitted = admit(channel);
      } catch (Throwable e) { // out of memory, say: drop this one, keep accepting
        channel.unsafe().closeForcibly();
        return;
      }
      if (admitted) {
        context.fireChannelRead(accepted);
      }
    }

    /**
     * Failures to accept: pauses accepting, logs (throttled) and goes no further. Nothing may
     * escape from here: an Error thrown on the event loop ends its thread, and accepting with it.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      try {
        Channel listening = context.channel();
        ChannelConfig config = listening.config();
        if (config.isAutoRead()) {
          // Scheduled first: if that fails, accepting is not paused, rather than never resumed.
          listening
              .eventLoop()
              .schedule(new Resume(listening), ACCEPT_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
          config.setAutoRead(false);
        }
        acceptFailures.log(logger, Level.WARNING, acceptFailure(listening.localAddress(), cause));
      } catch (Throwable e) {
        // see above: logging may fail too when the process is out of memory or descriptors
      }
    }
  }

  /**
   * Registers {@code channel}, just accepted, or closes it at once if it is one too many.
   *
   * @return whether it was admitted
   */
  private boolean admit(Channel channel) {
    SocketAddress remote = channel.remoteAddress();
    String address = addressKey(remote);
    Refusal refusal = counts.admit(address);
    if (refusal != Refusal.ADMITTED) {
      // Not registered with any event loop yet: closing it is closing the socket, here and now.
      channel.unsafe().closeForcibly();
      String from = address != null ? address : String.valueOf(remote);
      (refusal == Refusal.TOO_MANY ? refusedForTotal : refusedForAddress)
          .log(logger, Level.WARNING, refusal(refusal, from));
      return false;
    }
    try {
      Connection connection = new Connection(channel);
      channel.pipeline().addFirst(Connection.CUTTER, new ChannelDuplexHandler());
      if (remote != null) {
        open.put(remote, connection);
      }
      channel.closeFuture().addListener(new Forget(remote, address, connection));
    } catch (RuntimeException | Error e) {
      counts.release(address);
      throw e;
    }
    return true;
  }

  /** Once a connection has closed: it no longer counts, nor can it be found. */
  private final class Forget implements ChannelFutureListener {
    private final SocketAddress remote;
    private final String address;
    private final Connection connection;

    Forget(SocketAddress remote, String address, Connection connection) {
      this.remote = remote;
      this.address = address;
      this.connection = connection;
    }

    @Override
    public void operationComplete(ChannelFuture closed) {
      counts.release(address);
      if (remote != null) {
        open.remove(remote, connection);
      }
    }
  }

  /** Turns accepting back on after a pause. */
  private static final class Resume implements Runnable {
    private final Channel listening;

    Resume(Channel listening) {
      this.listening = listening;
    }

    @Override
    public void run() {
      if (listening != null) {
        listening.config().setAutoRead(true);
      }
    }
  }

  private enum Refusal {
    ADMITTED,
    TOO_MANY,
    TOO_MANY_FROM_ADDRESS
  }

  /**
   * The connections open, in all and by address. Connections are admitted on the accept thread
   * and released on any; a lock is plenty at the rate connections open and close.
   */
  private static final class Counts {
    final int max;
    final int maxPerAddress;
    private final Map<String, int[]> byAddress = new HashMap<>(); // no entry for 0
    private int total;

    Counts(int max, int maxPerAddress) {
      this.max = max;
      this.maxPerAddress = maxPerAddress;
    }

    /** Counts one more connection from {@code address} (null: unknown), if there is room. */
    synchronized Refusal admit(String address) {
      int[] fromAddress = address == null ? null : byAddress.get(address);
      if (fromAddress != null && fromAddress[0] >= maxPerAddress) {
        return Refusal.TOO_MANY_FROM_ADDRESS;
      }
      if (total >= max) {
        return Refusal.TOO_MANY;
      }
      if (address != null) {
        if (fromAddress == null) {
          fromAddress = new int[1];
          byAddress.put(address, fromAddress);
        }
        fromAddress[0]++;
      }
      total++;
      return Refusal.ADMITTED;
    }

    synchronized void release(String address) {
      total--;
      int[] fromAddress = address == null ? null : byAddress.get(address);
      if (fromAddress != null && --fromAddress[0] == 0) {
        byAddress.remove(address);
      }
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
    private volatile HeldBytes account; // made by the server's MemoryBudget, once, not per call

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

    /**
     * The bytes the server holds for this connection's messages (see MemoryBudget): the counter
     * its calls count their messages with, made by {@code make} the first time. Two
     * calls starting at once may both make one: they are alike, and either serves.
     */
    HeldBytes account(Function<Connection, HeldBytes> make) {
      HeldBytes made = account;
      if (made == null) {
        made = make.apply(this);
        account = made;
      }
      return made;
    }

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
