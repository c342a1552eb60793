package io.hellogrpc.server;

/**
 * Answers the unary {@code Hello}. The default answers {@code "hello:" + name}, as the Go tutorial.
 *
 * <p>Runs on the server's executor and may block. Throw {@link io.hellogrpc.api.HelloException}
 * to fail the call with a status of your choice; any other exception fails it with
 * {@code UNKNOWN}, naming the exception's class but not its message, which the server logs. Either
 * way the server and other calls carry on. A reply that cannot be sent fails the call and says
 * why: null or one with a lone surrogate (half a UTF-16 pair, which UTF-8 cannot encode) with
 * {@code INTERNAL}, one over {@code maxMessageSize} with {@code RESOURCE_EXHAUSTED}.
 */
@FunctionalInterface
public interface HelloHandler {
  /**
   * Answers one call.
   *
   * @param name what the client sent
   * @return the reply
   * @throws io.hellogrpc.api.HelloException to fail the call with its status
   * @throws Exception any other, which fails the call with {@code UNKNOWN}
   */
  String hello(String name) throws Exception;
}
