package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.InboundQueue;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.SerialPump;
import io.hellogrpc.api.internal.SessionEnd;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.server.ChannelHandler;
import java.util.concurrent.Executor;

/**
 * One {@code Channel} session answered message by message by a {@link ChannelHandler}.
 *
 * <p>The transport thread only queues; a {@link SerialPump} on the executor takes messages while
 * the client can take replies, so no thread is held between bursts and a client that stops reading
 * stops the server reading from it: the inbound queue fills, the server stops requesting, and HTTP/2
 * flow control pushes back on the client.
 */
final class ReplyingSession extends ServerCall.Listener<byte[]>
    implements SessionRegistry.OpenSession {
  private final ServerCall<byte[], String> call;
  private final Responder responder;
  private final ChannelHandler handler;
  private final SessionRegistry registry;
  private final int maxMessageSize;
  private final InboundQueue inbound;
  private final SerialPump pump;
  private volatile Status forcedEnd; // set by shutdown, acted on by the pump
  private volatile boolean cancelled;

  private ReplyingSession(
      ServerCall<byte[], String> call,
      ChannelHandler handler,
      Executor executor,
      int receiveBufferSize,
      int maxMessageSize,
      SessionRegistry registry,
      HeldBytes held) {
    this.call = call;
    this.responder = new Responder(call);
    this.handler = handler;
    this.registry = registry;
    this.maxMessageSize = maxMessageSize;
    this.inbound = new InboundQueue(receiveBufferSize, call::request, held);
    Probe probe = ObservedCalls.probeOf(call);
    if (probe != null) {
      probe.buffer(inbound);
      Executor plain = executor;
      executor = task -> plain.execute(probe.wrap(task)); // handlers run in the call's trace
    }
    this.pump = new SerialPump(executor, this::drain, this::onRejected);
  }

  static ServerCallHandler<byte[], String> handler(
      ChannelHandler handler,
      Executor executor,
      int receiveBufferSize,
      int maxMessageSize,
      SessionRegistry registry,
      MemoryBudget budget) {
    return (call, headers) -> {
      Executor inCallContext = Context.current().fixedContextExecutor(executor);
      ReplyingSession session =
          new ReplyingSession(
              call,
              handler,
              inCallContext,
              receiveBufferSize,
              maxMessageSize,
              registry,
              budget.accountFor(call));
      registry.add(session);
      session.inbound.start();
      return session;
    };
  }

  @Override
  public void onMessage(byte[] encoded) {
    String message;
    try {
      message = HelloMethods.decodeRequest(encoded);
    } catch (StatusException invalid) {
      inbound.discard(); // the session ends with this status; what is buffered goes unanswered
      terminate(invalid.getStatus());
      return;
    }
    inbound.add(message);
    pump.signal();
  }

  @Override
  public void onHalfClose() {
    inbound.endInput(SessionEnd.of(ChatEnd.completed()));
    pump.signal();
  }

  @Override
  public void onReady() {
    pump.signal();
  }

  @Override
  public void onCancel() {
    cancelled = true;
    inbound.discard();
    registry.remove(this);
  }

  @Override
  public void onComplete() {
    registry.remove(this);
  }

  @Override
  public void terminate(Status status) {
    forcedEnd = status;
    pump.signal();
  }

  /** On the executor, one run at a time: reply while the client can take replies. */
  private void drain() {
    while (!responder.isClosed() && !cancelled) {
      if (forcedEnd != null) {
        close(forcedEnd);
        return;
      }
      String message = responder.isReady() ? inbound.tryPoll() : null;
      if (message == null) {
        SessionEnd end = inbound.endIfDrained();
        if (end != null && end.isCompleted()) {
          close(Status.OK); // the client completed and every reply is out
        }
        return; // a message, readiness or the end will signal again
      }
      String reply;
      try {
        reply = handler.reply(message);
      } catch (Throwable failure) {
        HandlerFailures.log("Channel", call, CallerInfo.principalOf(Context.current()), failure, cancelled);
        Probe probe = ObservedCalls.probeOf(call);
        if (probe != null) {
          probe.failed(failure);
        }
        close(Statuses.forHandlerFailure("Channel", failure));
        return;
      }
      Status refusal = Responder.refusal("Channel", reply, maxMessageSize);
      if (refusal != null) {
        close(refusal);
        return;
      }
      responder.send(reply);
    }
  }

  /** In place of a drain the executor refused: without one the session would never end. */
  private void onRejected(RuntimeException rejected) {
    Status forced = forcedEnd;
    close(forced != null ? forced : HandlerFailures.refused("Channel"));
  }

  private void close(Status status) {
    responder.close(status);
    inbound.discard();
  }
}
