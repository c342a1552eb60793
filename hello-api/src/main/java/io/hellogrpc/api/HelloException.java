package io.hellogrpc.api;

import java.util.Objects;

/**
 * A call or chat session that failed, with the gRPC status code and the description that say why.
 *
 * <p>The client throws it from {@code hello()} and from a {@code ChatSession} that ended with an
 * error. A server handler throws it to choose the status its caller sees: any other exception from
 * a handler reaches the caller as {@link StatusCode#UNKNOWN}.
 */
public class HelloException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The status the caller sees; never {@link StatusCode#OK}. */
  private final StatusCode code;

  /** What went wrong, in words; empty rather than null. */
  private final String description;

  /**
   * A failure with this status and description, and no cause.
   *
   * @param code the status the caller sees; never {@link StatusCode#OK}
   * @param description what went wrong, in words a caller can act on
   */
  public HelloException(StatusCode code, String description) {
    this(code, description, null);
  }

  /**
   * A failure with this status and description, caused by {@code cause}.
   *
   * @param code the status the caller sees; never {@link StatusCode#OK}
   * @param description what went wrong, in words a caller can act on; null reads as empty
   * @param cause what led to it, or null
   * @throws IllegalArgumentException if {@code code} is {@link StatusCode#OK}
   */
  public HelloException(StatusCode code, String description, Throwable cause) {
    super(
        Objects.requireNonNull(code, "code") + ": " + (description == null ? "" : description),
        cause);
    if (code == StatusCode.OK) {
      throw new IllegalArgumentException("a HelloException cannot carry status OK");
    }
    this.code = code;
    this.description = description == null ? "" : description;
  }

  /**
   * The gRPC status code of the failure.
   *
   * @return the code, never {@link StatusCode#OK}
   */
  public StatusCode code() {
    return code;
  }

  /**
   * Why the call or session failed, in words: the status description the peer or the library gave.
   *
   * @return the description; empty, never null, when there was none
   */
  public String description() {
    return description;
  }
}
