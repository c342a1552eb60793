package io.hellogrpc.api;

import java.util.Objects;

/**
 * A certificate chain and its private key, as PEM text: what a server presents, or a client under
 * mutual TLS. For applications that fetch their certificates themselves (from a secret store, an
 * ACME client, their own CA) and hand them to a server or client that reloads them:
 *
 * <pre>{@code
 * HelloServer.builder()
 *     .tls(() -> new CertificateAndKey(vault.read("hello/tls.crt"), vault.read("hello/tls.key")))
 *     .reloadCertificates(Duration.ofMinutes(1))   // asks the supplier again every minute
 * }</pre>
 *
 * <p>{@link #toString()} leaves the key out, so the pair can be logged.
 *
 * @param certificateChain PEM, the certificate first, then the CAs that signed it
 * @param privateKey PEM, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC
 */
public record CertificateAndKey(String certificateChain, String privateKey) {
  /**
   * A pair, neither part null.
   *
   * @param certificateChain PEM, the certificate first, then the CAs that signed it
   * @param privateKey PEM, unencrypted PKCS#8, RSA or EC
   */
  public CertificateAndKey {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public String toString() {
    return "CertificateAndKey[certificateChain=" + certificateChain.length()
        + " characters, privateKey=(hidden)]";
  }
}
