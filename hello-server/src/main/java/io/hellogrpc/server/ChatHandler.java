package io.hellogrpc.server;

/**
 * Runs a whole {@code Channel} session, for servers that need more than one reply per message:
 * read with {@link ServerSession#receive()}, answer with {@link ServerSession#send}, in any
 * rhythm, like the Go tutorial's handler.
 *
 * <p>Runs on the server's executor and holds one of its threads until it returns. Returning
 * completes the session normally if the handler has not ended it; throwing
 * {@link io.hellogrpc.api.HelloException} ends it with that status, any other exception with
 * {@code UNKNOWN}.
 */
@FunctionalInterface
public interface ChatHandler {
  void chat(ServerSession session) throws Exception;
}
