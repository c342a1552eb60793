package io.hellogrpc.server.internal;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Ends a unary call ({@code Hello}, a health {@code Check}) whose client has not finished sending
 * its request within {@code timeout}: such a call holds what it received so far and answers
 * nothing until its client half-closes, which a hostile one never does.
 *
 * <p>The check runs on the call's connection's event loop, where grpc runs the call's callbacks:
 * it cannot race them. A call ended this way gets {@code DEADLINE_EXCEEDED}, and its handler
 * never sees the request.
 */
final class RequestTimeout implements ServerInterceptor {
  private final NettyConnections connections;
  private final Duration timeout;

  RequestTimeout(NettyConnections connections, Duration timeout) {
    this.connections = connections;
    this.timeout = timeout;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    NettyConnections.Connection connection = remote == null ? null : connections.find(remote);
    if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY
        || connection == null) {
      return next.startCall(call, headers);
    }
    Closing<ReqT, RespT> closing = new Closing<>(call);
    Watched<ReqT> watched = new Watched<>(next.startCall(closing, headers), closing);
    watched.check = connection.schedule(watched::expire, timeout);
    return watched;
  }

  /** The call, closed at most once: by the handler or by the timeout. */
  private static final class Closing<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed; // only touched where grpc runs the call's callbacks, or after them

    Closing(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }

  private final class Watched<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final Closing<ReqT, ?> call;
    volatile ScheduledFuture<?> check;
    private volatile boolean halfClosed;
    private volatile boolean expired;

    Watched(ServerCall.Listener<ReqT> listener, Closing<ReqT, ?> call) {
      super(listener);
      this.call = call;
    }

    /** On the connection's event loop, as the call's callbacks. */
    void expire() {
      if (halfClosed || call.closed) {
        return;
      }
      expired = true;
      call.close(
          Status.DEADLINE_EXCEEDED.withDescription(
              "the request did not arrive whole within " + timeout
                  + " (the client did not half-close)"),
          new Metadata());
    }

    @Override
    public void onMessage(ReqT message) {
      if (!expired) {
        super.onMessage(message);
      }
    }

    @Override
    public void onHalfClose() {
      halfClosed = true;
      stopCheck();
      if (!expired) {
        super.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      stopCheck();
      super.onCancel();
    }

    @Override
    public void onComplete() {
      stopCheck();
      super.onComplete();
    }

    private void stopCheck() {
      ScheduledFuture<?> pending = check;
      if (pending != null) {
        pending.cancel(false);
      }
    }
  }
}
