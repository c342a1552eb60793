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
  /** The caller sent something the server refuses, whatever the server's state. */
  INVALID_ARGUMENT,
  /** The deadline passed before the call completed. */
  DEADLINE_EXCEEDED,
  /** Something the call asked for does not exist. */
  NOT_FOUND,
  /** Something the call would create exists already. */
  ALREADY_EXISTS,
  /** The caller is known but not allowed to do this. */
  PERMISSION_DENIED,
  /** A limit was hit, such as the maximum message size. */
  RESOURCE_EXHAUSTED,
  /** The server is not in the state the call needs. */
  FAILED_PRECONDITION,
  /** The call was aborted, typically by a conflict with another. */
  ABORTED,
  /** The call asked for something past a valid range. */
  OUT_OF_RANGE,
  /** The server does not implement the method. */
  UNIMPLEMENTED,
  /** An invariant broke: a bug, on one side or the other. */
  INTERNAL,
  /** The server is shutting down, went away, or could not be reached. */
  UNAVAILABLE,
  /** Data was lost or corrupted beyond recovery. */
  DATA_LOSS,
  /** The call carries no valid credentials, such as a missing or refused token. */
  UNAUTHENTICATED;

  private static final StatusCode[] BY_VALUE = values();

  /**
   * The numeric code gRPC puts on the wire.
   *
   * @return the code's number, from 0 ({@link #OK}) to 16 ({@link #UNAUTHENTICATED})
   */
  public int value() {
    return ordinal();
  }

  /**
   * The code for a numeric wire value.
   *
   * @param value the number gRPC put on the wire
   * @return the code with that number
   * @throws IllegalArgumentException if {@code value} is not a gRPC status code
   */
  public static StatusCode fromValue(int value) {
    if (value < 0 || value >= BY_VALUE.length) {
      throw new IllegalArgumentException("not a gRPC status code: " + value);
    }
    return BY_VALUE[value];
  }
}
