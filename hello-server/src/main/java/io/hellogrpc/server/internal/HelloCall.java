package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.server.HelloHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/** One unary {@code Hello}: takes the request on the transport thread, answers on the executor. */
final class HelloCall extends ServerCall.Listener<byte[]> {
  private final ServerCall<byte[], String> call;
  private final Responder responder;
  private final HelloHandler handler;
  private final Executor executor;
  private final int maxMessageSize;
  private final Context context;
  private final HeldBytes held; // the request, then the reply too, until the call ends
  private final Probe probe; // null: nothing observes the server
  private final AtomicLong heldBytes = new AtomicLong(); // what to release when it ends
  private String request;

  private HelloCall(
      ServerCall<byte[], String> call,
      HelloHandler handler,
      Executor executor,
      int maxMessageSize,
      Context context,
      HeldBytes held) {
    this.call = call;
    this.held = held;
    this.responder = new Responder(call);
    this.handler = handler;
    this.executor = executor;
    this.maxMessageSize = maxMessageSize;
    this.context = context;
    this.probe = ObservedCalls.probeOf(call);
  }

  static ServerCallHandler<byte[], String> handler(
      HelloHandler handler, Executor executor, int maxMessageSize, MemoryBudget budget) {
    return (call, headers) -> {
      HelloCall hello =
          new HelloCall(
              call,
              handler,
              executor,
              maxMessageSize,
              Context.current(),
              budget.accountFor(call));
      call.request(2); // a second request message is a client error we want to see
      return hello;
    };
  }

  @Override
  public void onMessage(byte[] encoded) {
    if (responder.isClosed()) {
      return;
    }
    String message;
    try {
      message = HelloMethods.decodeRequest(encoded);
    } catch (StatusException invalid) {
      responder.close(invalid.getStatus());
      return;
    }
    if (request != null) {
      responder.close(
          Status.INVALID_ARGUMENT.withDescription("Hello takes exactly one request message"));
      return;
    }
    request = message;
    hold(message.length());
  }

  private void hold(long bytes) {
    heldBytes.addAndGet(bytes);
    held.hold(bytes);
  }

  @Override
  public void onComplete() {
    held.release(heldBytes.getAndSet(0));
  }

  @Override
  public void onCancel() {
    held.release(heldBytes.getAndSet(0));
  }

  @Override
  public void onHalfClose() {
    if (responder.isClosed()) {
      return;
    }
    if (request == null) {
      responder.close(Status.INVALID_ARGUMENT.withDescription("Hello needs a request message"));
      return;
    }
    try {
      Runnable answer = probe == null ? this::answer : probe.wrap(this::answer);
      executor.execute(context.wrap(answer));
    } catch (RejectedExecutionException e) {
      responder.close(HandlerFailures.refused("Hello"));
    }
  }

  private void answer() {
    if (call.isCancelled()) {
      return;
    }
    String reply;
    try {
      reply = handler.hello(request);
    } catch (Throwable failure) {
      HandlerFailures.log("Hello", call, CallerInfo.principalOf(context), failure, call.isCancelled());
      if (probe != null) {
        probe.failed(failure);
      }
      responder.close(Statuses.forHandlerFailure("Hello", failure));
      return;
    }
    Status refusal = Responder.refusal("Hello", reply, maxMessageSize);
    if (refusal != null) {
      responder.close(refusal);
      return;
    }
    hold(reply.length()); // until the client has read it: the call ends then
    responder.send(reply);
    responder.close(Status.OK);
  }
}
