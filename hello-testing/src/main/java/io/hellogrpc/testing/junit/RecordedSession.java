package io.hellogrpc.testing.junit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Channel} session as the test server saw it, at the moment it was asked: the messages
 * the server had received from the client so far, in order.
 *
 * <p>A message counts once the server's handler has taken it: with the default per-message
 * handler, before its reply is sent, so a test that has read a reply finds the message it
 * answers here. A {@code ChatHandler} set with {@link HelloTestServer#onChat} that stops reading
 * leaves the rest of the client's messages unrecorded.
 *
 * @param messages what the client sent, in order, as far as the server has read
 * @param principal who opened the session, when the server requires a token; empty otherwise
 */
public record RecordedSession(List<String> messages, Optional<String> principal) {
  /**
   * A session's record.
   *
   * @param messages what the client sent, in order; copied
   * @param principal who opened the session, or empty
   */
  public RecordedSession {
    messages = List.copyOf(messages);
    Objects.requireNonNull(principal, "principal");
  }
}
