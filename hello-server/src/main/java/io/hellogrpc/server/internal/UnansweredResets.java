package io.hellogrpc.server.internal;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP/2 rapid-reset protection (CVE-2023-44487): closes a connection whose client resets more
 * calls that the server had not answered yet than {@code limit} within {@code window}.
 *
 * <p>Why not count every reset, as grpc's {@code maxRstFramesPerWindow} does: a client cancelling
 * its own sessions resets streams too, and a legitimate one can reach thousands a second (one
 * measured here opened and cancelled 35,000 sessions a second on one connection), as many as an
 * attack. What makes the attack cost the server is that the client resets a call before the
 * server has answered it, so the server did the work of starting it for nothing, and nothing
 * bounds how often. A call the server has answered (sent headers, a message or its end) never
 * counts, so a client may cancel sessions that exchanged messages at any rate. Calls on a
 * connection that is going away are not counted: their ends are not the client's doing.
 */
final class UnansweredResets implements ServerInterceptor {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");

  private final NettyConnections connections;
  private final int limit;
  private final long windowNanos;
  private final LogThrottle closures = new LogThrottle(Duration.ofMinutes(1));

  UnansweredResets(NettyConnections connections, int limit, Duration window) {
    this.connections = connections;
    this.limit = limit;
    this.windowNanos = window.toNanos();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote == null) {
      return next.startCall(call, headers);
    }
    Answered<ReqT, RespT> answered = new Answered<>(call);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(answered, headers)) {
      @Override
      public void onCancel() {
        if (!answered.answered) {
          countReset(remote);
        }
        super.onCancel();
      }
    };
  }

  private void countReset(SocketAddress remote) {
    NettyConnections.Connection connection = connections.find(remote);
    if (connection == null) {
      return; // the connection is gone: its calls end because of that, not by a client's reset
    }
    int resets = connection.countReset(System.nanoTime(), windowNanos);
    if (resets == limit + 1) {
      closures.log(
          logger,
          Level.WARNING,
          "closed the connection from " + remote + ": it reset more than " + limit
              + " calls the server had not answered within " + Duration.ofNanos(windowNanos)
              + " (the HTTP/2 rapid-reset attack); maxRstFramesPerWindow sets the limit");
      connection.cut();
    }
  }

  /** A call that notes whether the server has sent the client anything yet. */
  private static final class Answered<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    volatile boolean answered;

    Answered(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      answered = true;
      super.sendHeaders(headers);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      answered = true;
      super.close(status, trailers);
    }
  }
}
