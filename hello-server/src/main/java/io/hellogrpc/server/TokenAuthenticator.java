package io.hellogrpc.server;

/**
 * Checks the bearer token of a call and says who made it, for
 * {@link HelloServer.Builder#requireToken(TokenAuthenticator)}: verify a signed token, look one up
 * in a cache, and so on.
 *
 * <p>Runs on a transport thread as each call starts, before any handler: keep it fast and never
 * block on I/O there (refresh keys or revocation lists elsewhere), or every connection that thread
 * serves waits.
 */
@FunctionalInterface
public interface TokenAuthenticator {
  /**
   * Checks one call's token.
   *
   * @param token what the client sent after {@code authorization: Bearer }
   * @return the principal the token stands for, which handlers read with
   *     {@link Caller#principal()}; null to refuse the call with {@code UNAUTHENTICATED}
   * @throws io.hellogrpc.api.HelloException to refuse it with another status (say,
   *     {@code PERMISSION_DENIED})
   * @throws Exception any other, which refuses the call with {@code INTERNAL} ("the server could
   *     not check the token") and is logged at WARNING. No handler runs either way.
   */
  String authenticate(String token) throws Exception;
}
