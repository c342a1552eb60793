package io.hellogrpc.api.internal;

import io.grpc.Status;
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
   * little; "Connection refused: /127.0.0.1:1234" says what to fix).
   */
  public static String describe(Status status) {
    String description = status.getDescription();
    Throwable cause = status.getCause();
    String because = cause == null ? null : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    if (description == null) {
      return because == null ? "" : because;
    }
    return because == null || description.contains(because) ? description : description + ": " + because;
  }

  public static ChatEnd toEnd(Status status) {
    return status.isOk() ? ChatEnd.completed() : new ChatEnd(code(status), describe(status));
  }

  public static HelloException toException(Status status) {
    return new HelloException(code(status), describe(status), status.getCause());
  }

  public static Status toStatus(ChatEnd end) {
    return Status.fromCodeValue(end.code().value()).withDescription(end.description());
  }

  /**
   * The status a caller sees when a handler fails: a {@link HelloException} chooses its own;
   * anything else is {@code UNKNOWN}, named by its class and message.
   */
  public static Status forHandlerFailure(Throwable failure) {
    if (failure instanceof HelloException e) {
      return Status.fromCodeValue(e.code().value()).withDescription(e.description());
    }
    return Status.UNKNOWN
        .withDescription("handler failed: " + failure)
        .withCause(failure);
  }
}
