package io.hellogrpc.server.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.hellogrpc.api.internal.OutboundMessages;

/**
 * The sending half of a {@link ServerCall}: headers go before the first message, nothing goes to a
 * call the client cancelled (not even its close), and the call is closed once. Not thread-safe:
 * each owner calls it from one thread at a time.
 */
final class Responder {
  private final ServerCall<?, String> call;
  private boolean headersSent;
  private boolean closed;

  Responder(ServerCall<?, String> call) {
    this.call = call;
  }

  /**
   * Why a handler's {@code reply} may not be sent, or null if it may: the server sends nothing
   * larger than its maxMessageSize, and no text UTF-8 cannot encode, whoever wrote it.
   *
   * @param method the handler's method, for the description
   */
  static Status refusal(String method, String reply, int maxMessageBytes) {
    if (reply == null) {
      return Status.INTERNAL.withDescription("the " + method + " handler returned null");
    }
    if (!OutboundMessages.fits(reply, maxMessageBytes)) {
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "the " + method + " handler's reply of " + OutboundMessages.encodedSize(reply)
              + " bytes exceeds the limit of " + maxMessageBytes
              + " bytes (maxMessageSize); it was not sent");
    }
    String loneSurrogate = OutboundMessages.loneSurrogate(reply);
    if (loneSurrogate != null) {
      return Status.INTERNAL.withDescription(
          "the " + method + " handler's reply has " + loneSurrogate + "; it was not sent");
    }
    return null;
  }

  boolean isReady() {
    return call.isReady();
  }

  /** Sends {@code message}, unless the client is gone. */
  void send(String message) {
    if (call.isCancelled()) {
      // grpc would encode it and queue it for the transport only to drop it there.
      return;
    }
    if (!headersSent) {
      call.sendHeaders(new Metadata());
      headersSent = true;
    }
    call.sendMessage(message);
  }

  /**
   * Closes the call with {@code status}, unless it was closed already or the client is gone. A
   * cancelled call is over for grpc: closing it would write trailers nobody reads (after close()
   * has stopped the server, to an event loop that refuses them), and closing a cancelled unary
   * call OK after {@link #send} dropped its reply makes grpc log "Completed without a response"
   * as an internal error. Once cancelled, a call stays cancelled, so a dropped reply is never
   * followed by an OK close.
   */
  void close(Status status) {
    if (!closed) {
      closed = true;
      if (!call.isCancelled()) {
        call.close(status, new Metadata());
      }
    }
  }

  boolean isClosed() {
    return closed;
  }
}
