package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.hellogrpc.server.TokenAuthenticator;
import java.util.Locale;

/**
 * Refuses HelloService calls without a valid bearer token, and puts the principal in the call's
 * context for the handlers.
 *
 * <p>The principal is attached only while the handler starts the call: every handler captures the
 * context there and runs in it, so the per-message callbacks need no wrapping.
 */
final class TokenCheck implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final TokenAuthenticator authenticator;

  TokenCheck(TokenAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String token = bearerToken(headers.get(AUTHORIZATION));
    if (token == null) {
      return refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "missing bearer token: send the header 'authorization: Bearer <token>'"));
    }
    String principal;
    try {
      principal = authenticator.authenticate(token);
    } catch (Throwable failure) {
      return refuse(call, HandlerFailures.authenticatorFailed(failure));
    }
    if (principal == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("invalid bearer token"));
    }
    Context authenticated = Context.current().withValue(Principals.KEY, principal);
    Context previous = authenticated.attach();
    try {
      return next.startCall(call, headers);
    } finally {
      authenticated.detach(previous);
    }
  }

  /** The token of an {@code authorization: Bearer <token>} header (scheme case-insensitive). */
  static String bearerToken(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }

  private static <ReqT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, ?> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
