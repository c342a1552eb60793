package io.hellogrpc.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed test certificates (see tls/README.md beside them): a CA, a server certificate for
 * localhost and 127.0.0.1, and a client certificate, all signed by the CA; for the tests of bad
 * configuration, a second CA, certificates it signed, and keys that do not fit; client
 * certificates with subject alternative names, from a third CA; and, for the tests of certificate
 * rotation, the next generation of the first three.
 */
public enum TestCertificates {
  CA("ca.pem"),
  SERVER_CERT("server.pem"),
  SERVER_KEY("server.key"),
  CLIENT_CERT("client.pem"),
  CLIENT_KEY("client.key"),
  /** A CA that signed none of the above. */
  OTHER_CA("other-ca.pem"),
  /** Signed by {@link #OTHER_CA} for {@code elsewhere.example} only. */
  ELSEWHERE_CERT("elsewhere.pem"),
  ELSEWHERE_KEY("elsewhere.key"),
  /** An RSA certificate for localhost and 127.0.0.1, signed by {@link #OTHER_CA}. */
  RSA_SERVER_CERT("rsa-server.pem"),
  RSA_SERVER_KEY("rsa-server.key"),
  /** {@link #RSA_SERVER_KEY} in PKCS#1: {@code BEGIN RSA PRIVATE KEY}. */
  RSA_SERVER_KEY_PKCS1("rsa-server.pkcs1.key"),
  /** {@link #SERVER_KEY} in SEC1: {@code BEGIN EC PRIVATE KEY}. */
  SERVER_KEY_SEC1("server.sec1.key"),
  /** {@link #SERVER_KEY} encrypted: {@code BEGIN ENCRYPTED PRIVATE KEY}. */
  SERVER_KEY_ENCRYPTED("server.encrypted.key"),
  /** An EC key that belongs to no certificate here. */
  UNRELATED_KEY("unrelated.key"),
  /** An RSA key that belongs to no certificate here. */
  UNRELATED_RSA_KEY("unrelated-rsa.key"),
  /** A CA of its own for the client certificates below, which carry an identity. */
  IDENTITY_CA("identity-ca.pem"),
  /**
   * {@code CN=orders, O=Example}, SANs {@code DNS:orders.example.internal}, {@code DNS:orders},
   * {@code URI:spiffe://example.org/ns/prod/sa/orders}, {@code email:orders@example.org},
   * {@code IP:10.1.2.3}; signed by {@link #IDENTITY_CA}.
   */
  IDENTITY_CLIENT_CERT("identity-client.pem"),
  IDENTITY_CLIENT_KEY("identity-client.key"),
  /** {@code CN=billing}, the only SAN {@code URI:spiffe://example.org/ns/prod/sa/billing}. */
  IDENTITY_URI_CLIENT_CERT("identity-uri-client.pem"),
  IDENTITY_URI_CLIENT_KEY("identity-uri-client.key"),
  /** A CA that signed none of the above: the CA after a rotation. */
  NEXT_CA("next-ca.pem"),
  /** Signed by {@link #NEXT_CA} for localhost and 127.0.0.1 (serial 0x11). */
  NEXT_SERVER_CERT("next-server.pem"),
  NEXT_SERVER_KEY("next-server.key"),
  /** Signed by {@link #NEXT_CA} for client authentication (serial 0x12). */
  NEXT_CLIENT_CERT("next-client.pem"),
  NEXT_CLIENT_KEY("next-client.key");

  private final String fileName;

  TestCertificates(String fileName) {
    this.fileName = fileName;
  }

  /** The PEM, in memory: nothing to close. */
  public InputStream stream() {
    return new ByteArrayInputStream(bytes());
  }

  /** The PEM's bytes. */
  public byte[] bytes() {
    try (InputStream in = TestCertificates.class.getResourceAsStream("tls/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: tls/" + fileName);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PEM copied into {@code directory}, for APIs that take a file. */
  public Path copyTo(Path directory) {
    try {
      return Files.write(directory.resolve(fileName), bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
