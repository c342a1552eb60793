package io.hellogrpc.server;

/**
 * Answers each message of a {@code Channel} session with one reply, in order. The default answers
 * {@code "hello:" + message}, as the Go tutorial; the session completes when the client completes
 * and every reply is sent.
 *
 * <p>Runs on the server's executor, one message at a time per session, holding no thread between
 * messages. Backpressure is built in: while the client is not reading replies, no more messages are
 * taken from it. Throw {@link io.hellogrpc.api.HelloException} to end the session with a status of
 * your choice; any other exception ends it with {@code UNKNOWN}, naming the exception's class but
 * not its message, which the server logs. A reply that cannot be sent ends the session and says
 * why: null or one with a lone surrogate (half a UTF-16 pair, which UTF-8 cannot encode) with
 * {@code INTERNAL}, one over {@code maxMessageSize} with {@code RESOURCE_EXHAUSTED}.
 */
@FunctionalInterface
public interface ChannelHandler {
  /**
   * Answers one message of a session.
   *
   * @param message what the client sent
   * @return the reply
   * @throws io.hellogrpc.api.HelloException to end the session with its status
   * @throws Exception any other, which ends the session with {@code UNKNOWN}
   */
  String reply(String message) throws Exception;
}
