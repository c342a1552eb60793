package io.hellogrpc.server;

/**
 * Says who a client certificate stands for, under mutual TLS, for
 * {@link HelloServer.Builder#clientCertificatePrincipal(CertificatePrincipal)}: look the subject up
 * in a table, take a SPIFFE ID from its URIs, and so on. Without one, a server that requires client
 * certificates uses {@link ClientCertificate#defaultPrincipal()}.
 *
 * <p>Runs on a transport thread as each HelloService call starts, before any handler: keep it fast
 * and never block on I/O there, as for a {@link TokenAuthenticator}.
 */
@FunctionalInterface
public interface CertificatePrincipal {
  /**
   * Says who the client of a mutual-TLS connection is.
   *
   * @param certificate the client's certificate, which the TLS handshake has already verified
   *     against the trusted CA
   * @return the principal, which handlers read with {@link Caller#principal()}; null to refuse
   *     the call with {@code UNAUTHENTICATED}
   * @throws io.hellogrpc.api.HelloException to refuse it with another status (say,
   *     {@code PERMISSION_DENIED})
   * @throws Exception any other, which refuses the call with {@code INTERNAL} and is logged at
   *     WARNING. No handler runs either way.
   */
  String principal(ClientCertificate certificate) throws Exception;
}
