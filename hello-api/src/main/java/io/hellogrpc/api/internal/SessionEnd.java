package io.hellogrpc.api.internal;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import java.util.Objects;

/**
 * How a session ended, and the exception behind it when there is one: a listener that threw, or
 * what the transport reported. The {@link ChatEnd} is what the application reads back; the cause
 * travels with the {@link HelloException} that readers and senders are thrown.
 *
 * @param chatEnd the end as the public API reports it
 * @param cause why, as an exception; null when the status says it all
 */
public record SessionEnd(ChatEnd chatEnd, Throwable cause) {
  public SessionEnd {
    Objects.requireNonNull(chatEnd, "chatEnd");
  }

  public static SessionEnd of(ChatEnd chatEnd) {
    return new SessionEnd(chatEnd, null);
  }

  public boolean isCompleted() {
    return chatEnd.isCompleted();
  }

  /**
   * The exception that reports this end, carrying its cause.
   *
   * @throws IllegalStateException if the session completed normally
   */
  public HelloException toException() {
    if (isCompleted()) {
      throw new IllegalStateException("the session completed normally: there is no error");
    }
    return new HelloException(chatEnd.code(), chatEnd.description(), cause);
  }
}
