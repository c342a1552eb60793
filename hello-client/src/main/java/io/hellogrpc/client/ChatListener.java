package io.hellogrpc.client;

import io.hellogrpc.api.HelloException;

/**
 * Receives a chat session's replies as callbacks, for a session opened with
 * {@link HelloClient#openChat(ChatListener)}.
 *
 * <p>Callbacks run one at a time, in the order the replies arrived, on the client's callback
 * executor (never on a transport thread, unless that executor is a direct one). Exactly one of
 * {@link #onCompleted} and {@link #onError} runs last, after every {@link #onMessage}, however
 * the session ends, {@link HelloClient#close()} included. A callback that blocks holds back the
 * ones after it and, once the session's receive buffer is full, the server too: that is the
 * backpressure, not a fault.
 *
 * <p>A callback that throws cancels the session: no further {@code onMessage} runs, and
 * {@link #onError} reports {@code CANCELLED} with the thrown exception as its cause. If the
 * server had already completed, the replies not delivered yet are dropped and
 * {@link #onCompleted} follows. If the client's callback executor refuses to run a callback, the
 * session is cancelled saying so, and the end callback runs on the thread that was refused.
 */
@FunctionalInterface
public interface ChatListener {
  /**
   * A reply arrived.
   *
   * @param session the session it came on
   * @param message the reply
   */
  void onMessage(ChatSession session, String message);

  /**
   * The server completed the session normally; no more replies will come.
   *
   * @param session the session that ended
   */
  default void onCompleted(ChatSession session) {}

  /**
   * The session ended otherwise: cancelled, deadline exceeded, server unavailable, or an error.
   * {@link HelloException#code()} says which.
   *
   * @param session the session that ended
   * @param error how it ended
   */
  default void onError(ChatSession session, HelloException error) {}
}
