package io.hellogrpc.server.internal;

import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.ReceiveBuffer;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.server.ChannelHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * One {@code Channel} session answered by the built-in handler where each message arrives, on the
 * transport thread, as tuned grpc-java answers: no queue, no executor, no lock, and a few fields
 * per open session (a server holding thousands of idle sessions holds little for each).
 *
 * <p>A message is answered at once while the client can take replies, and room for one more is
 * granted in its place. While the client cannot, arrivals wait in order, at most
 * receiveBufferSize of them (no more were granted), counted in the server's memory budget, and
 * nothing more is granted: the transport stops reading and HTTP/2 flow control pushes back on a
 * client that stops reading. {@code onReady} answers those waiting, then grants their room back.
 *
 * <p>grpc calls the listener one callback at a time. Only {@link #terminate} (the server shutting
 * down) comes from another thread, so whoever acts on the call takes a turn first, and nobody waits
 * for one: a callback that finds the turn taken knows shutdown is closing the call and drops what
 * it brought; shutdown, finding it taken, leaves its status for the turn's owner, who acts on it
 * before giving the turn up (as {@link io.hellogrpc.api.internal.SerialPump} does).
 */
final class InPlaceSession extends ServerCall.Listener<byte[]>
    implements SessionRegistry.OpenSession, ReceiveBuffer {
  private static final VarHandle TURNS;

  static {
    try {
      TURNS = MethodHandles.lookup().findVarHandle(InPlaceSession.class, "turns", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ServerCall<byte[], String> call;
  private final Responder responder;
  private final ChannelHandler handler;
  private final SessionRegistry registry;
  private final HeldBytes held;
  private final int capacity;
  private final int maxMessageSize;
  private ArrayDeque<String> waiting; // made when the client first cannot take a reply
  private volatile int waitingCount; // for gauges, read on other threads
  private boolean halfClosed;
  private volatile Status forcedEnd; // set by shutdown, acted on by the turn's owner
  private volatile boolean cancelled;
  @SuppressWarnings("unused") // through TURNS: turns taken and asked for; 0 when nobody acts
  private volatile int turns;

  private InPlaceSession(
      ServerCall<byte[], String> call,
      ChannelHandler handler,
      int capacity,
      int maxMessageSize,
      SessionRegistry registry,
      HeldBytes held) {
    this.call = call;
    this.responder = new Responder(call);
    this.handler = handler;
    this.capacity = capacity;
    this.maxMessageSize = maxMessageSize;
    this.registry = registry;
    this.held = held;
  }

  /** Sessions of {@code handler}, which must never block: it runs on the transport thread. */
  static ServerCallHandler<byte[], String> handler(
      ChannelHandler handler,
      int receiveBufferSize,
      int maxMessageSize,
      SessionRegistry registry,
      MemoryBudget budget) {
    return (call, headers) -> {
      InPlaceSession session =
          new InPlaceSession(
              call, handler, receiveBufferSize, maxMessageSize, registry, budget.accountFor(call));
      Probe probe = ObservedCalls.probeOf(call);
      if (probe != null) {
        probe.buffer(session);
      }
      registry.add(session);
      call.request(receiveBufferSize);
      return session;
    };
  }

  @Override
  public void onMessage(byte[] encoded) {
    if (!takeTurn()) {
      return; // shutdown is closing the call: nothing will be answered
    }
    try {
      answerOrWait(encoded);
    } finally {
      endTurn();
    }
  }

  @Override
  public void onReady() {
    if (!takeTurn()) {
      return;
    }
    try {
      answerWaiting();
    } finally {
      endTurn();
    }
  }

  @Override
  public void onHalfClose() {
    if (!takeTurn()) {
      return;
    }
    try {
      halfClosed = true;
      if (waitingCount == 0) {
        close(Status.OK); // the client completed and every reply is out
      }
    } finally {
      endTurn();
    }
  }

  @Override
  public void onCancel() {
    cancelled = true;
    registry.remove(this);
    if (takeTurn()) { // else shutdown's close drops what waits
      try {
        dropWaiting();
      } finally {
        endTurn();
      }
    }
  }

  @Override
  public void onComplete() {
    registry.remove(this);
  }

  @Override
  public void terminate(Status status) {
    forcedEnd = status;
    if (takeTurn()) {
      endTurn(); // acts on it
    }
  }

  @Override
  public int size() {
    return waitingCount;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  private boolean takeTurn() {
    return (int) TURNS.getAndAdd(this, 1) == 0;
  }

  /** Acts on a shutdown's status, whenever it came, before the turn is given up. */
  private void endTurn() {
    int taken = 1;
    while (true) {
      Status forced = forcedEnd;
      if (forced != null && !responder.isClosed()) {
        close(forced);
      }
      int left = (int) TURNS.getAndAdd(this, -taken) - taken;
      if (left == 0) {
        return;
      }
      taken = left;
    }
  }

  private void answerOrWait(byte[] encoded) {
    if (responder.isClosed() || cancelled) {
      return; // granted before the end: nobody will read a reply
    }
    String message;
    try {
      message = HelloMethods.decodeRequest(encoded);
    } catch (StatusException invalid) {
      close(invalid.getStatus()); // what waits goes unanswered
      return;
    }
    if (waitingCount == 0 && responder.isReady()) {
      if (answer(message)) {
        call.request(1);
      }
      return;
    }
    held.hold(message.length());
    if (waiting == null) {
      waiting = new ArrayDeque<>(2);
    }
    waiting.addLast(message);
    waitingCount++;
  }

  private void answerWaiting() {
    int answered = 0;
    while (waitingCount > 0 && !responder.isClosed() && responder.isReady()) {
      String message = waiting.pollFirst();
      waitingCount--;
      held.release(message.length());
      if (!answer(message)) {
        return;
      }
      answered++;
    }
    if (responder.isClosed()) {
      return;
    }
    if (halfClosed) {
      if (waitingCount == 0) {
        close(Status.OK);
      }
    } else if (answered > 0) {
      call.request(answered);
    }
  }

  /** Sends the handler's reply; false if the session ended instead. */
  private boolean answer(String message) {
    String reply;
    try {
      reply = handler.reply(message);
    } catch (Throwable failure) {
      // No principal: keeping the caller would keep the call's headers for the session's life,
      // and the built-in handler reads none.
      HandlerFailures.log("Channel", call, null, failure, cancelled);
      Probe probe = ObservedCalls.probeOf(call);
      if (probe != null) {
        probe.failed(failure);
      }
      close(Statuses.forHandlerFailure("Channel", failure));
      return false;
    }
    Status refusal = Responder.refusal("Channel", reply, maxMessageSize);
    if (refusal != null) {
      close(refusal);
      return false;
    }
    responder.send(reply);
    return true;
  }

  private void close(Status status) {
    responder.close(status);
    dropWaiting();
  }

  private void dropWaiting() {
    if (waitingCount == 0) {
      return;
    }
    long bytes = 0;
    for (String message : waiting) {
      bytes += message.length();
    }
    waiting.clear();
    waitingCount = 0;
    held.release(bytes);
  }
}
