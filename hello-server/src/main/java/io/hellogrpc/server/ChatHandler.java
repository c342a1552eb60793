package io.hellogrpc.server;

/**
 * Runs a whole {@code Channel} session, for servers that need more than one reply per message:
 * read with {@link ServerSession#receive()}, answer with {@link ServerSession#send}, in any
 * rhythm, like the Go tutorial's handler.
 *
 * <p>Runs on the server's executor and holds one of its threads until it returns: with the
 * default executor, each open session is a thread. For many concurrent sessions prefer a
 * {@link ChannelHandler}, which holds none, or give the server a bounded executor and accept that
 * sessions beyond it wait for a thread.
 *
 * <p>Returning completes the session normally if the handler has not ended it; messages the client
 * sent that the handler did not read are dropped (the client can tell from its
 * {@code sentCount()} and replies). Throwing {@link io.hellogrpc.api.HelloException} ends the
 * session with that status; any other exception with {@code UNKNOWN}, naming the handler and the
 * exception's class but not its message, which the server logs.
 */
@FunctionalInterface
public interface ChatHandler {
  void chat(ServerSession session) throws Exception;
}
