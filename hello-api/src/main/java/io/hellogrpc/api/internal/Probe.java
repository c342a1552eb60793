package io.hellogrpc.api.internal;

import io.hellogrpc.api.StatusCode;
import java.util.function.LongSupplier;

/**
 * One call as an {@link Observer} sees it, from its start to its end. Its methods are cheap and
 * never block; none is called per message.
 */
public interface Probe extends OutboundGate.Pacing {
  /**
   * Where a session's message counts are read: while it is open (gauges read them when they are
   * collected) and as it ends. Called once, as the session starts.
   */
  void counts(LongSupplier sent, LongSupplier received);

  /** A session's receive buffer, whose fill gauges read. Called once, as the session starts. */
  void buffer(ReceiveBuffer buffer);

  /** {@code task} as it must run to be part of the call: in its trace context (server handlers). */
  Runnable wrap(Runnable task);

  /** The server's handler threw {@code failure}; the call ends with an error status next. */
  void failed(Throwable failure);

  /** The call ended: once; later calls are ignored. */
  void ended(StatusCode code, String description);
}
