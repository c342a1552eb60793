package io.hellogrpc.server;

/**
 * Runs a whole {@code Channel} session, for servers that need more than one reply per message:
 * read with {@link ServerSession#receive()}, answer with {@link ServerSession#send}, in any
 * rhythm, like the Go tutorial's handler.
 *
 * <p>Runs on the server's executor and holds one of its threads until it returns. The default
 * executor gives it a virtual thread on JDK 21 and later (10,000 sessions at most); on JDK 17 one
 * of a bounded pool's platform threads, so that sessions past the pool's threads wait for one.
 * For many concurrent sessions on JDK 17 prefer a {@link ChannelHandler}, which holds no thread,
 * or give the server an executor of your own.
 *
 * <p>Returning completes the session normally if the handler has not ended it; messages the client
 * sent that the handler did not read are dropped (the client can tell from its
 * {@code sentCount()} and replies). Throwing {@link io.hellogrpc.api.HelloException} ends the
 * session with that status; any other exception with {@code UNKNOWN}, naming the handler and the
 * exception's class but not its message, which the server logs.
 */
@FunctionalInterface
public interface ChatHandler {
  /**
   * Runs one session, from the client's opening it to the handler's end.
   *
   * @param session the server's side of the session
   * @throws io.hellogrpc.api.HelloException to end the session with its status
   * @throws Exception any other, which ends the session with {@code UNKNOWN}
   */
  void chat(ServerSession session) throws Exception;
}
