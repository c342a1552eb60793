package io.hellogrpc.api.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;

/** Conversions between grpc's {@link Status} and our plain-Java types. */
public final class Statuses {
  private Statuses() {}

  public static StatusCode code(Status status) {
    return StatusCode.fromValue(status.getCode().value());
  }

  /**
   * The description, with what a local cause says when there is one (grpc's "io exception" says
   * little; "Connection refused: /127.0.0.1:1234" says what to fix); for a failed TLS handshake,
   * why it failed and what to do, in place of grpc's words.
   */
  public static String describe(Status status) {
    String handshake = HandshakeFailures.explain(status.getCause());
    if (handshake != null) {
      return handshake;
    }
    String description = status.getDescription();
    Throwable cause = status.getCause();
    String because = cause == null ? null : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    if (description == null) {
      return because == null ? "" : because;
    }
    return because == null || description.contains(because) ? description : description + ": " + because;
  }

  public static ChatEnd toEnd(Status status) {
    Status said = whatHappened(status);
    return said.isOk() ? ChatEnd.completed() : new ChatEnd(code(said), describe(said));
  }

  /** The end of a session closed with {@code status}, keeping its cause. */
  public static SessionEnd toSessionEnd(Status status) {
    Status said = whatHappened(status);
    return said.isOk()
        ? SessionEnd.of(ChatEnd.completed())
        : new SessionEnd(new ChatEnd(code(said), describe(said)), said.getCause());
  }

  public static HelloException toException(Status status) {
    Status said = whatHappened(status);
    return new HelloException(code(said), describe(said), said.getCause());
  }

  /**
   * grpc's client reports a reply it could not decode as {@code CANCELLED} "Failed to read
   * message.", with the decoder's status as the cause. Nobody cancelled anything: the decoder's
   * status ({@code INTERNAL} "invalid HelloService message: ...") says what happened.
   */
  private static Status whatHappened(Status status) {
    if (status.getCode() == Status.Code.CANCELLED
        && status.getCause() instanceof StatusRuntimeException decoding) {
      return decoding.getStatus();
    }
    return status;
  }

  /**
   * The status a caller sees when a handler fails: a {@link HelloException} chooses its own;
   * anything else is {@code UNKNOWN}, naming the handler and the exception's class but not its
   * message, which may hold what a possibly untrusted caller should not see (the server logs it).
   *
   * @param handler which handler failed, for the description ("Hello")
   */
  public static Status forHandlerFailure(String handler, Throwable failure) {
    if (failure instanceof HelloException e) {
      return Status.fromCodeValue(e.code().value()).withDescription(e.description());
    }
    return Status.UNKNOWN
        .withDescription(
            "the " + handler + " handler failed with " + failure.getClass().getSimpleName()
                + "; the server logged the details")
        .withCause(failure);
  }
}
