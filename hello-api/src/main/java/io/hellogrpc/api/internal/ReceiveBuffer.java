package io.hellogrpc.api.internal;

/** How full a session's receive buffer is, for gauges: read from any thread, never blocking long. */
public interface ReceiveBuffer {
  /** How many messages are buffered now. */
  int size();

  /** The most messages it ever buffers. */
  int capacity();
}
