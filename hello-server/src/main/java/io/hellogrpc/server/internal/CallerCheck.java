package io.hellogrpc.server.internal;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.hellogrpc.server.CertificatePrincipal;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.TokenAuthenticator;
import java.util.Locale;

/**
 * Starts every HelloService call with its {@link CallerInfo} in the call's context, after
 * authenticating it: with a token where the server requires one, else with the client
 * certificate where it requires those. A call that fails either is refused before any handler.
 *
 * <p>The context is attached only while the handler starts the call: every handler captures it
 * there and runs in it, so the per-message callbacks need no wrapping.
 */
final class CallerCheck implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final TokenAuthenticator tokens; // null: no token required
  private final CertificatePrincipal certificates; // null: the principal is not the certificate's

  /**
   * @param tokens checks the bearer token of every call and names its principal; null if none is
   *     required
   * @param certificates names the principal from the client certificate when {@code tokens} is
   *     null; null if the certificate names none
   */
  CallerCheck(TokenAuthenticator tokens, CertificatePrincipal certificates) {
    this.tokens = tokens;
    this.certificates = certificates;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String principal = null;
    if (tokens != null) {
      String token = bearerToken(headers.get(AUTHORIZATION));
      if (token == null) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription(
                "missing bearer token: send the header 'authorization: Bearer <token>'"));
      }
      try {
        principal = tokens.authenticate(token);
      } catch (Throwable failure) {
        return refuse(call, HandlerFailures.authenticatorFailed(failure));
      }
      if (principal == null) {
        return refuse(call, Status.UNAUTHENTICATED.withDescription("invalid bearer token"));
      }
    }
    CallerInfo caller = new CallerInfo(headers, call.getAttributes(), principal);
    if (tokens == null && certificates != null) {
      ClientCertificate certificate = caller.clientCertificate().orElse(null);
      if (certificate == null) { // the handshake requires one: only a transport without TLS
        return refuse(
            call, Status.UNAUTHENTICATED.withDescription("the call came without a client certificate"));
      }
      try {
        principal = certificates.principal(certificate);
      } catch (Throwable failure) {
        return refuse(call, HandlerFailures.certificatePrincipalFailed(failure));
      }
      if (principal == null) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription(
                "the client certificate '" + certificate.subject() + "' names no principal"));
      }
      caller = new CallerInfo(headers, call.getAttributes(), principal);
    }
    Context withCaller = Context.current().withValue(CallerInfo.KEY, caller);
    Context previous = withCaller.attach();
    try {
      return next.startCall(call, headers);
    } finally {
      withCaller.detach(previous);
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
