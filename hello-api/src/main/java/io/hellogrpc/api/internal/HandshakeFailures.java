package io.hellogrpc.api.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Plain words for a TLS handshake that failed. grpc reports every one as {@code UNAVAILABLE}
 * "io exception ... General OpenSslEngine problem"; what went wrong is deep in the cause chain,
 * in the JDK's and BoringSSL's terms.
 */
final class HandshakeFailures {
  private static final String FAILED = "TLS handshake failed: ";

  private HandshakeFailures() {}

  /** What went wrong and what to do, or null if {@code cause} is no failed handshake. */
  static String explain(Throwable cause) {
    String hostnameMismatch = null;
    boolean untrusted = false;
    boolean certificateRequired = false;
    boolean plaintextServer = false;
    boolean handshake = false;
    Throwable innermost = cause;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (hostnameMismatch == null
          && t instanceof CertificateException
          && (message.startsWith("No subject alternative")
              || message.startsWith("No name matching"))) {
        hostnameMismatch = message; // the outermost says which names the certificate has
      }
      untrusted |= t instanceof CertPathBuilderException; // no path to a trusted CA
      certificateRequired |= message.contains("CERTIFICATE_REQUIRED"); // BoringSSL's alert
      plaintextServer |= t.getClass().getSimpleName().equals("NotSslRecordException"); // Netty's
      handshake |= t instanceof SSLHandshakeException;
      innermost = t;
    }
    if (hostnameMismatch != null) {
      return FAILED + "the server's certificate is not valid for the host name the client"
          + " connected to (hostname mismatch): connect with a name the certificate lists, or"
          + " give the server a certificate for this name (" + hostnameMismatch + ")";
    }
    if (untrusted) {
      return FAILED + "the server's certificate is not trusted by the configured CA"
          + " (trustedCertificates(...), else the JVM's CAs): trust the CA that issued the"
          + " server's certificate (" + innermost.getMessage() + ")";
    }
    if (certificateRequired) {
      return FAILED + "the server requires a client certificate (mutual TLS) and this client sent"
          + " none it would accept: set clientCertificate(certificateChain, privateKey) with a"
          + " certificate issued by a CA the server trusts";
    }
    if (plaintextServer) {
      return FAILED + "the server does not speak TLS (it answered in plaintext): connect without"
          + " tls() and trustedCertificates(...), or serve TLS";
    }
    return handshake ? FAILED + innermost.getMessage() : null;
  }
}
