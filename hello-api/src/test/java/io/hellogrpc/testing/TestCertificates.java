package io.hellogrpc.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed test certificates (see tls/README.md beside them): a CA, a server certificate for
 * localhost and 127.0.0.1, and a client certificate, all signed by the CA.
 */
public enum TestCertificates {
  CA("ca.pem"),
  SERVER_CERT("server.pem"),
  SERVER_KEY("server.key"),
  CLIENT_CERT("client.pem"),
  CLIENT_KEY("client.key");

  private final String fileName;

  TestCertificates(String fileName) {
    this.fileName = fileName;
  }

  /** The PEM, in memory: nothing to close. */
  public InputStream stream() {
    return new ByteArrayInputStream(bytes());
  }

  /** The PEM copied into {@code directory}, for APIs that take a file. */
  public Path copyTo(Path directory) {
    try {
      return Files.write(directory.resolve(fileName), bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] bytes() {
    try (InputStream in = TestCertificates.class.getResourceAsStream("tls/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: tls/" + fileName);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
