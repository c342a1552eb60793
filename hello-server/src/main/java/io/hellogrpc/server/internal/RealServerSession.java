package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.OutboundGate;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.SessionCore;
import io.hellogrpc.api.internal.SessionEnd;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.server.ChatHandler;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.ServerSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** One {@code Channel} session run by a {@link ChatHandler} on an executor thread. */
final class RealServerSession extends SessionCore
    implements ServerSession, SessionRegistry.OpenSession {
  private final Responder responder;
  private final ChatHandler handler;
  private final SessionRegistry registry;
  private final Context context;
  private final ServerCall<byte[], String> call;
  private final Probe probe; // null: nothing observes the server

  private RealServerSession(
      ServerCall<byte[], String> call,
      Responder responder,
      ChatHandler handler,
      int receiveBufferSize,
      int maxMessageSize,
      SessionRegistry registry,
      Context context,
      HeldBytes held,
      Probe probe) {
    super(
        receiveBufferSize,
        maxMessageSize,
        call::request,
        OutboundGate.Transport.of(responder::isReady, responder::send),
        held,
        probe);
    this.call = call;
    this.probe = probe;
    if (probe != null) {
      probe.buffer(inbound);
    }
    this.responder = responder;
    this.handler = handler;
    this.registry = registry;
    this.context = context;
  }

  static ServerCallHandler<byte[], String> handler(
      ChatHandler handler,
      Executor executor,
      int receiveBufferSize,
      int maxMessageSize,
      SessionRegistry registry,
      MemoryBudget budget) {
    return (call, headers) -> {
      RealServerSession session =
          new RealServerSession(
              call,
              new Responder(call),
              handler,
              receiveBufferSize,
              maxMessageSize,
              registry,
              Context.current(),
              budget.accountFor(call),
              ObservedCalls.probeOf(call));
      registry.add(session);
      session.inbound.start();
      Runnable run =
          session.probe == null ? session::runHandler : session.probe.wrap(session::runHandler);
      try {
        executor.execute(session.context.wrap(run));
      } catch (RejectedExecutionException e) {
        session.terminate(HandlerFailures.refused("Channel"));
      }
      return session.new TransportListener();
    };
  }

  private void runHandler() {
    try {
      handler.chat(this);
      complete();
    } catch (Throwable failure) {
      if (end().isEmpty()) {
        HandlerFailures.log("Channel", call, CallerInfo.principalOf(context), failure, false);
        if (probe != null) {
          probe.failed(failure);
        }
      }
      terminate(Statuses.forHandlerFailure("Channel", failure));
    }
  }

  @Override
  public String receive() throws InterruptedException {
    return takeMessage();
  }

  @Override
  public String poll(Duration timeout) throws InterruptedException {
    return pollMessage(timeout);
  }

  @Override
  public Iterable<String> messages() {
    return takingIterable();
  }

  @Override
  public void complete() {
    terminate(Status.OK);
  }

  @Override
  public void fail(StatusCode code, String description) {
    Objects.requireNonNull(code, "code");
    if (code == StatusCode.OK) {
      throw new IllegalArgumentException("fail() needs an error code; use complete() to end normally");
    }
    terminate(Status.fromCodeValue(code.value()).withDescription(description));
  }

  @Override
  public Optional<String> principal() {
    return Optional.ofNullable(caller().principal());
  }

  @Override
  public Optional<String> header(String name) {
    return caller().header(name);
  }

  @Override
  public Optional<byte[]> binaryHeader(String name) {
    return caller().binaryHeader(name);
  }

  @Override
  public Map<String, String> headers() {
    return caller().headers();
  }

  @Override
  public Optional<InetSocketAddress> remoteAddress() {
    return caller().remoteAddress();
  }

  @Override
  public Optional<ClientCertificate> clientCertificate() {
    return caller().clientCertificate();
  }

  private CallerInfo caller() {
    return CallerInfo.of(context); // always there: every HelloService call starts with one
  }

  /** Closes the call with {@code status} in turn with sends; later messages are dropped. */
  @Override
  public void terminate(Status status) {
    if (finish(SessionEnd.of(Statuses.toEnd(status)), () -> responder.close(status))) {
      inbound.discard();
    }
  }

  private SessionEnd cancellation() {
    Deadline deadline = context.getDeadline();
    if (deadline != null && deadline.isExpired()) {
      return SessionEnd.of(
          new ChatEnd(StatusCode.DEADLINE_EXCEEDED, "the client's deadline passed"));
    }
    return SessionEnd.of(
        new ChatEnd(StatusCode.CANCELLED, "the client cancelled the session or went away"));
  }

  /** grpc's callbacks, on the transport thread: hand over and return, never block. */
  private final class TransportListener extends ServerCall.Listener<byte[]> {
    @Override
    public void onMessage(byte[] encoded) {
      String message;
      try {
        message = HelloMethods.decodeRequest(encoded);
      } catch (StatusException invalid) {
        terminate(invalid.getStatus()); // the handler's receive() throws it too
        return;
      }
      inbound.add(message);
    }

    @Override
    public void onHalfClose() {
      inbound.endInput(SessionEnd.of(ChatEnd.completed()));
    }

    @Override
    public void onReady() {
      outbound.onReady();
    }

    @Override
    public void onCancel() {
      if (finish(cancellation(), null)) {
        inbound.discard();
      }
      registry.remove(RealServerSession.this);
    }

    @Override
    public void onComplete() {
      registry.remove(RealServerSession.this);
    }
  }
}
