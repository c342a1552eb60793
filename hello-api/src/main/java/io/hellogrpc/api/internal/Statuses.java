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

  /** The description, or what the cause says when grpc left it empty. */
  public static String describe(Status status) {
    if (status.getDescription() != null) {
      return status.getDescription();
    }
    Throwable cause = status.getCause();
    if (cause != null) {
      return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    }
    return "";
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
