package io.hellogrpc.api;

import java.util.Objects;

/**
 * How a chat session ended.
 *
 * <p>The code tells the end states apart: {@link StatusCode#OK} is a normal end (the peer
 * completed), {@link StatusCode#CANCELLED} a cancellation (by this side or the peer),
 * {@link StatusCode#DEADLINE_EXCEEDED} a deadline, {@link StatusCode#UNAVAILABLE} a server that shut
 * down or went away, and any other code an error. The description says why in words.
 *
 * @param code the gRPC status the session ended with
 * @param description why, in words; empty for a normal end
 */
public record ChatEnd(StatusCode code, String description) {
  private static final ChatEnd COMPLETED = new ChatEnd(StatusCode.OK, "");

  /**
   * An end with this code and description.
   *
   * @param code the gRPC status the session ended with
   * @param description why, in words; null reads as empty
   */
  public ChatEnd {
    Objects.requireNonNull(code, "code");
    description = description == null ? "" : description;
  }

  /**
   * The normal end: the peer completed the session.
   *
   * @return the end with {@link StatusCode#OK} and an empty description
   */
  public static ChatEnd completed() {
    return COMPLETED;
  }

  /**
   * Whether this is the normal end.
   *
   * @return true for a normal end, false for cancellation, deadline, shutdown and errors
   */
  public boolean isCompleted() {
    return code == StatusCode.OK;
  }

  /**
   * The exception that reports this end.
   *
   * @return a {@link HelloException} with this end's code and description
   * @throws IllegalStateException if the session completed normally
   */
  public HelloException toException() {
    if (isCompleted()) {
      throw new IllegalStateException("the session completed normally: there is no error");
    }
    return new HelloException(code, description);
  }

  @Override
  public String toString() {
    return isCompleted() ? "COMPLETED" : code + ": " + description;
  }
}
