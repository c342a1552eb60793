package io.hellogrpc.server.internal;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.hellogrpc.server.ClientCertificate;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who made one HelloService call, as its handlers see it: the request headers, the peer's address,
 * its client certificate and the principal. It rides in the call's grpc {@link Context}, which
 * every handler runs in, so handlers see it without any grpc type in their signatures. Made as the
 * call starts; what it reads from headers and certificates is worked out only when asked.
 */
public final class CallerInfo {
  static final Context.Key<CallerInfo> KEY = Context.key("hello-grpc caller");

  /**
   * Headers handlers do not see: those of HTTP/2 and gRPC themselves, and credentials, which are
   * the authenticator's business; handlers get the principal instead.
   */
  private static final Set<String> HIDDEN =
      Set.of(
          "te",
          "content-type",
          "content-length",
          "content-encoding",
          "accept-encoding",
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "authorization");

  /** Where a connection's parsed certificate is kept, so that it is parsed once per connection. */
  private static final String CERTIFICATE_VALUE = "io.hellogrpc.server.ClientCertificate";

  private final Metadata headers;
  private final Attributes transport;
  private final String principal;

  CallerInfo(Metadata headers, Attributes transport, String principal) {
    this.headers = headers;
    this.transport = transport;
    this.principal = principal;
  }

  /** The caller of the call whose context is current on this thread, or null. */
  public static CallerInfo current() {
    return KEY.get();
  }

  static CallerInfo of(Context context) {
    return KEY.get(context);
  }

  /** The principal of the call whose context {@code context} is, or null: for logs. */
  static String principalOf(Context context) {
    CallerInfo caller = of(context);
    return caller == null ? null : caller.principal();
  }

  /** What the server authenticated the caller as, or null. */
  public String principal() {
    return principal;
  }

  /** The last value of the ASCII header {@code name}. */
  public Optional<String> header(String name) {
    String key = headerName(name, false);
    if (key == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
  }

  /** The last value of the binary header {@code name}, a copy. */
  public Optional<byte[]> binaryHeader(String name) {
    String key = headerName(name, true);
    if (key == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(headers.get(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER)));
  }

  /** Every ASCII header handlers may see, name to last value, sorted by name. */
  public Map<String, String> headers() {
    Map<String, String> visible = new TreeMap<>();
    for (String name : headers.keys()) {
      if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX) && !hidden(name)) {
        String value = headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        if (value != null) {
          visible.put(name, value);
        }
      }
    }
    return Collections.unmodifiableMap(visible);
  }

  public Optional<InetSocketAddress> remoteAddress() {
    SocketAddress address = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return address instanceof InetSocketAddress inet ? Optional.of(inet) : Optional.empty();
  }

  public Optional<ClientCertificate> clientCertificate() {
    return Optional.ofNullable(certificateOf(transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
  }

  private static ClientCertificate certificateOf(SSLSession session) {
    if (session == null) {
      return null;
    }
    Object cached = session.getValue(CERTIFICATE_VALUE);
    if (cached instanceof ClientCertificate certificate) {
      return certificate;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
      return null;
    }
    ClientCertificate certificate = ClientCertificate.of(x509);
    session.putValue(CERTIFICATE_VALUE, certificate);
    return certificate;
  }

  /**
   * {@code name} as grpc keys it, or null for a header handlers do not see.
   *
   * @throws IllegalArgumentException if it is not a header name, or is binary where ASCII is
   *     asked for or the other way round
   */
  private static String headerName(String name, boolean binary) {
    java.util.Objects.requireNonNull(name, "name");
    String key = name.toLowerCase(Locale.ROOT);
    if (key.isEmpty() || !key.chars().allMatch(CallerInfo::isNameCharacter)) {
      if (key.startsWith(":")) {
        return null; // pseudo-headers are grpc's
      }
      throw new IllegalArgumentException(
          "'" + name + "' is not a header name: a header name has only a-z, 0-9, '-', '_' and '.'");
    }
    if (binary != key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      throw new IllegalArgumentException(
          binary
              ? "header '" + name + "' is not binary (its name does not end in -bin): read it with"
                  + " header(name)"
              : "header '" + name + "' is binary (its name ends in -bin): read it with"
                  + " binaryHeader(name)");
    }
    return hidden(key) ? null : key;
  }

  private static boolean isNameCharacter(int c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
  }

  private static boolean hidden(String name) {
    return name.startsWith("grpc-") || name.startsWith(":") || HIDDEN.contains(name);
  }
}
