package io.hellogrpc.testing.junit;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Hello} call as the test server received it, whether it was answered, failed by a
 * script, or refused.
 *
 * @param name what the client sent
 * @param principal who made the call, when the server requires a token (what its
 *     {@code TokenAuthenticator} returned); empty otherwise
 */
public record RecordedCall(String name, Optional<String> principal) {
  /**
   * A call with this name and principal.
   *
   * @param name what the client sent
   * @param principal who made the call, or empty
   */
  public RecordedCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(principal, "principal");
  }
}
