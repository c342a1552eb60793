package io.hellogrpc.server;

/**
 * Answers the unary {@code Hello}. The default answers {@code "hello:" + name}, as the Go tutorial.
 *
 * <p>Runs on the server's executor and may block. Throw {@link io.hellogrpc.api.HelloException}
 * to fail the call with a status of your choice; any other exception fails it with
 * {@code UNKNOWN}, naming the exception's class but not its message, which the server logs. Either
 * way the server and other calls carry on.
 */
@FunctionalInterface
public interface HelloHandler {
  String hello(String name) throws Exception;
}
