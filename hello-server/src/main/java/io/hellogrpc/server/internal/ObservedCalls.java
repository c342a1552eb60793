package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.Observer;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.Statuses;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Tells the server's {@link Observer} about each HelloService call: its start, its messages
 * counted, and its end with the status it closed with, or {@code CANCELLED} (or
 * {@code DEADLINE_EXCEEDED}) when the client went first. Only installed when something observes.
 *
 * <p>It is the outermost interceptor of the service, so calls the token check refuses are seen
 * too. Handlers find the call's probe with {@link #probeOf(ServerCall)}, to run in its trace
 * context, report a failure, and hand over a session's flow-control events and receive buffer.
 */
final class ObservedCalls implements ServerInterceptor {
  /** How close to its deadline a cancelled call counts as ended by it (see cancellation()). */
  static final long DEADLINE_SLACK_MILLIS = 250;

  private final Observer observer;

  ObservedCalls(Observer observer) {
    this.observer = observer;
  }

  /** The probe of a call this interceptor saw, or null. */
  static Probe probeOf(ServerCall<?, ?> call) {
    return call instanceof ObservedCall<?, ?> observed ? observed.probe : null;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    Observer.Kind kind =
        HelloMethods.SERVER_CHANNEL.getBareMethodName().equals(method)
            ? Observer.Kind.SESSION
            : Observer.Kind.HELLO;
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String host = null;
    int port = -1;
    if (remote instanceof InetSocketAddress inet) {
      host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      port = inet.getPort();
    }
    ObservedCall<ReqT, RespT> observed =
        new ObservedCall<>(call, observer.start(kind, headers, host, port), Context.current());
    if (kind == Observer.Kind.SESSION) {
      observed.probe.counts(observed::sentCount, observed::receivedCount);
    }
    ServerCall.Listener<ReqT> listener;
    try {
      listener = next.startCall(observed, headers);
    } catch (RuntimeException | Error e) {
      observed.probe.ended(StatusCode.UNKNOWN, "the server failed to start the call: " + e);
      throw e;
    }
    return observed.new Listener(listener);
  }

  /** The call as its handler sees it: counting messages, keeping the status it closes with. */
  private static final class ObservedCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private static final VarHandle SENT;
    private static final VarHandle RECEIVED;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        SENT = lookup.findVarHandle(ObservedCall.class, "sent", long.class);
        RECEIVED = lookup.findVarHandle(ObservedCall.class, "received", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Probe probe;
    private final Context context;
    // One writer each (sends are serialized, as grpc requires; arrivals come from the transport),
    // read by gauges on other threads: opaque writes and reads, so a count never goes back.
    @SuppressWarnings("unused") // through SENT
    private long sent;
    @SuppressWarnings("unused") // through RECEIVED
    private long received;
    private volatile Status closedWith;

    ObservedCall(ServerCall<ReqT, RespT> call, Probe probe, Context context) {
      super(call);
      this.probe = probe;
      this.context = context;
    }

    long sentCount() {
      return (long) SENT.getOpaque(this);
    }

    long receivedCount() {
      return (long) RECEIVED.getOpaque(this);
    }

    @Override
    public void sendMessage(RespT message) {
      // Counted first: the in-process transport delivers on this thread, and the client may end
      // the call, ending the count, before sendMessage returns.
      SENT.setOpaque(this, (long) SENT.getOpaque(this) + 1);
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closedWith = status;
      super.close(status, trailers);
    }

    /** Why the call ended when the client went first. */
    private Status cancellation() {
      Status closed = closedWith;
      if (closed != null) {
        return closed; // it had closed; its status did not make it to the client
      }
      // A client whose deadline passes resets the stream, as any cancel does; the server's copy of
      // the deadline (from grpc-timeout, counted from the call's arrival) passes at about the same
      // moment, a little before or after. A cancel that close to the deadline is the deadline's.
      Deadline deadline = context.getDeadline();
      return deadline != null
              && deadline.timeRemaining(TimeUnit.MILLISECONDS) < DEADLINE_SLACK_MILLIS
          ? Status.DEADLINE_EXCEEDED.withDescription("the client's deadline passed")
          : Status.CANCELLED.withDescription("the client cancelled the call or went away");
    }

    private void end(Status status) {
      probe.ended(Statuses.code(status), status.getDescription());
    }

    final class Listener extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
      Listener(ServerCall.Listener<ReqT> delegate) {
        super(delegate);
      }

      @Override
      public void onMessage(ReqT message) {
        RECEIVED.setOpaque(ObservedCall.this, (long) RECEIVED.getOpaque(ObservedCall.this) + 1);
        super.onMessage(message);
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          Status closed = closedWith;
          end(closed != null ? closed : Status.OK);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          end(cancellation());
        }
      }
    }
  }
}
