package io.hellogrpc.server;

import io.hellogrpc.server.internal.CallerInfo;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Who made the call a handler is answering: the principal the server authenticated, the request
 * headers, the peer's address and, under mutual TLS, its client certificate.
 *
 * <pre>{@code
 * HelloServer.builder()
 *     .requireToken(token -> users.byToken(token))     // null refuses the call
 *     .onHello(name -> "hello:" + name + ", from " + Caller.principal().orElse("anyone")
 *         + " (request " + Caller.header("x-request-id").orElse("-") + ")")
 * }</pre>
 *
 * <p>Each method answers for the call being handled on this thread: it is valid inside {@link
 * HelloHandler#hello}, {@link ChannelHandler#reply} and {@link ChatHandler#chat}, and empty on any
 * other thread. A {@link ChatHandler} can also ask its session, from any thread: {@link
 * ServerSession#principal()}, {@link ServerSession#header(String)} and so on.
 *
 * <p>Headers: what the client application set, and {@code user-agent}. Those of HTTP/2 and gRPC
 * themselves (pseudo-headers, {@code grpc-*}, {@code te}, {@code content-type}, ...) and
 * {@code authorization} are never shown: credentials are the authenticator's business, and
 * handlers get the principal. Header names are case-insensitive; a name sent several times reads
 * as its last value.
 */
public final class Caller {
  private Caller() {}

  /**
   * Who the server authenticated the caller as: what the {@link TokenAuthenticator} returned (a
   * shared token's callers are {@code "token"}) when the server requires a token; else, when it
   * requires client certificates, what its {@link CertificatePrincipal} returned, by default the
   * certificate's first DNS name, else first URI, else common name. Empty when the server requires
   * neither. When it requires both, the token names the principal; the certificate is still in
   * {@link #clientCertificate()}.
   *
   * @return the principal, or empty
   */
  public static Optional<String> principal() {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Optional.empty() : Optional.ofNullable(caller.principal());
  }

  /**
   * The value of the request header {@code name}, such as {@code "x-request-id"}.
   *
   * @param name the header name
   * @return the value, or empty if the call has no such header
   * @throws IllegalArgumentException if {@code name} is not a header name, or is a binary one
   *     (ending in {@code -bin}: read those with {@link #binaryHeader(String)})
   */
  public static Optional<String> header(String name) {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Optional.empty() : caller.header(name);
  }

  /**
   * The bytes of the binary request header {@code name}, which ends in {@code -bin}; a copy.
   *
   * @param name the header name
   * @return a copy of the bytes, or empty if the call has no such header
   * @throws IllegalArgumentException if {@code name} is not a header name or does not end in
   *     {@code -bin}
   */
  public static Optional<byte[]> binaryHeader(String name) {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Optional.empty() : caller.binaryHeader(name);
  }

  /**
   * Every ASCII request header a handler may see, name to value, sorted by name; binary headers
   * are left out. Immutable; empty on a thread that is handling no call.
   *
   * @return the headers by name; empty if none
   */
  public static Map<String, String> headers() {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Map.of() : caller.headers();
  }

  /**
   * The address of the peer: the client, or the last proxy in front of it. Empty for a call over
   * the in-process transport, which has no network address.
   *
   * @return the address, or empty
   */
  public static Optional<InetSocketAddress> remoteAddress() {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Optional.empty() : caller.remoteAddress();
  }

  /**
   * The client's certificate, when the connection is TLS and the client presented one: always
   * under {@link HelloServer.Builder#requireClientCertificates(java.nio.file.Path)}, never
   * without TLS.
   *
   * @return the certificate, or empty
   */
  public static Optional<ClientCertificate> clientCertificate() {
    CallerInfo caller = CallerInfo.current();
    return caller == null ? Optional.empty() : caller.clientCertificate();
  }
}
