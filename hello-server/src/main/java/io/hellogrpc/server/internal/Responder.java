package io.hellogrpc.server.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * The sending half of a {@link ServerCall}: headers go before the first message, and the call is
 * closed once. Not thread-safe: each owner calls it from one thread at a time.
 */
final class Responder {
  private final ServerCall<?, String> call;
  private boolean headersSent;
  private boolean closed;

  Responder(ServerCall<?, String> call) {
    this.call = call;
  }

  boolean isReady() {
    return call.isReady();
  }

  void send(String message) {
    if (!headersSent) {
      call.sendHeaders(new Metadata());
      headersSent = true;
    }
    call.sendMessage(message);
  }

  /** Closes the call with {@code status}, unless it was closed already. */
  void close(Status status) {
    if (!closed) {
      closed = true;
      call.close(status, new Metadata());
    }
  }

  boolean isClosed() {
    return closed;
  }
}
