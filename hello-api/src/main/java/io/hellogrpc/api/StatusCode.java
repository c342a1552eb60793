package io.hellogrpc.api;

/**
 * The status codes of gRPC, as plain Java: how a call or a session ended. The names and meanings
 * are gRPC's own; {@link #value()} is the number on the wire.
 */
public enum StatusCode {
  /** The call completed normally. */
  OK,
  /** The call was cancelled, by the caller or by the peer. */
  CANCELLED,
  /** An error with no better code; a handler that throws an unexpected exception ends here. */
  UNKNOWN,
  INVALID_ARGUMENT,
  /** The deadline passed before the call completed. */
  DEADLINE_EXCEEDED,
  NOT_FOUND,
  ALREADY_EXISTS,
  PERMISSION_DENIED,
  /** A limit was hit, such as the maximum message size. */
  RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION,
  ABORTED,
  OUT_OF_RANGE,
  UNIMPLEMENTED,
  INTERNAL,
  /** The server is shutting down, went away, or could not be reached. */
  UNAVAILABLE,
  DATA_LOSS,
  UNAUTHENTICATED;

  private static final StatusCode[] BY_VALUE = values();

  /** The numeric code gRPC puts on the wire. */
  public int value() {
    return ordinal();
  }

  /**
   * The code for a numeric wire value.
   *
   * @throws IllegalArgumentException if {@code value} is not a gRPC status code
   */
  public static StatusCode fromValue(int value) {
    if (value < 0 || value >= BY_VALUE.length) {
      throw new IllegalArgumentException("not a gRPC status code: " + value);
    }
    return BY_VALUE[value];
  }
}
