package io.hellogrpc.server.internal;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.hellogrpc.api.internal.HeldBytes;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bytes the server holds for messages, server-wide, bounded by {@code maxBufferedBytes}:
 * messages arriving (counted as grpc reads them, before they are whole: {@link MessageBytes}),
 * messages queued for a session's handler, and a {@code Hello}'s request and reply until its call
 * ends. Bytes a client sent that nothing has asked for yet stay in HTTP/2's flow-control window,
 * which bounds them per connection on its own.
 *
 * <p>Past the bound, the connection holding the most is cut (its calls end {@code UNAVAILABLE},
 * everything they held is freed) and a WARNING says so, at most once a minute: a client that makes
 * the server hold its memory and does not let go loses its connection, not everyone their calls.
 */
final class MemoryBudget {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");

  private final NettyConnections connections;
  private final long limit;
  private final AtomicLong total = new AtomicLong();
  private final LogThrottle cuts = new LogThrottle(Duration.ofMinutes(1));
  private final Function<NettyConnections.Connection, HeldBytes> newAccount = Account::new;

  /**
   * @param connections the server's, or null in-process, where there is nothing to cut and
   *     nothing is counted
   */
  MemoryBudget(NettyConnections connections, long limit) {
    this.connections = connections;
    this.limit = limit;
  }

  /** The counter for {@code call}'s messages. */
  HeldBytes accountFor(ServerCall<?, ?> call) {
    return accountFor(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }

  /** What the server holds now, in bytes: for tests and for the logs. */
  long held() {
    return total.get();
  }

  /** The counter for calls from {@code remote}; one that counts nothing if it is not open. */
  HeldBytes accountFor(SocketAddress remote) {
    NettyConnections.Connection connection =
        remote == null || connections == null ? null : connections.find(remote);
    return connection == null ? HeldBytes.NONE : connection.account(newAccount);
  }

  /** Counts against one connection and the server. */
  private final class Account implements HeldBytes {
    private final NettyConnections.Connection connection;

    Account(NettyConnections.Connection connection) {
      this.connection = connection;
    }

    @Override
    public void hold(long bytes) {
      connection.heldBytes().addAndGet(bytes);
      if (total.addAndGet(bytes) > limit) {
        shed();
      }
    }

    @Override
    public void release(long bytes) {
      connection.heldBytes().addAndGet(-bytes);
      total.addAndGet(-bytes);
    }
  }

  /**
   * Cuts the connections holding the most until what is left, once the cut ones let go, fits.
   * Rare (only past the bound) and short: it walks the open connections.
   */
  private synchronized void shed() {
    long staying = total.get();
    for (NettyConnections.Connection connection : connections.all()) {
      if (connection.isCut()) {
        staying -= connection.heldBytes().get(); // freed as its calls end
      }
    }
    while (staying > limit) {
      NettyConnections.Connection biggest = null;
      for (NettyConnections.Connection connection : connections.all()) {
        if (!connection.isCut()
            && (biggest == null
                || connection.heldBytes().get() > biggest.heldBytes().get())) {
          biggest = connection;
        }
      }
      if (biggest == null || biggest.heldBytes().get() <= 0) {
        return; // what is over is held by no connection still open: it is on its way out
      }
      long freed = biggest.heldBytes().get();
      cuts.log(
          logger,
          Level.WARNING,
          "cut the connection from " + biggest.remote() + ": the server held "
              + mebibytes(staying) + " of messages, over its maxBufferedBytes of "
              + mebibytes(limit) + ", and that connection held the most, " + mebibytes(freed));
      biggest.cut();
      staying -= freed;
    }
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
