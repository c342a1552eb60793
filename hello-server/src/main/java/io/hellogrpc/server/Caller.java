package io.hellogrpc.server;

import io.hellogrpc.server.internal.Principals;
import java.util.Optional;

/**
 * Who made the call a handler is answering, when the server requires a token (see
 * {@link HelloServer.Builder#requireToken(String)}).
 *
 * <pre>{@code
 * HelloServer.builder()
 *     .requireToken(token -> users.byToken(token))     // null refuses the call
 *     .onHello(name -> "hello:" + name + ", from " + Caller.principal().orElse("anyone"))
 * }</pre>
 *
 * <p>A {@link ChatHandler} can also ask its session, from any thread: {@link
 * ServerSession#principal()}.
 */
public final class Caller {
  private Caller() {}

  /**
   * The principal of the call being handled on this thread: valid inside {@link
   * HelloHandler#hello}, {@link ChannelHandler#reply} and {@link ChatHandler#chat}. Empty when the
   * server requires no token, and on any other thread.
   */
  public static Optional<String> principal() {
    return Optional.ofNullable(Principals.current());
  }
}
