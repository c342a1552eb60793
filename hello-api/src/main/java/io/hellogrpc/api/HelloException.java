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

  private final StatusCode code;
  private final String description;

  /**
   * @param code the status the caller sees; never {@link StatusCode#OK}
   * @param description what went wrong, in words a caller can act on
   */
  public HelloException(StatusCode code, String description) {
    this(code, description, null);
  }

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

  public StatusCode code() {
    return code;
  }

  public String description() {
    return description;
  }
}
