package io.hellogrpc.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads PEM material (certificates, keys) whole when a builder is given it, so a missing file is
 * reported by the setter that named it and the builder keeps no file handle or stream.
 */
public final class Pem {
  private Pem() {}

  /**
   * @param what the setting, as the error message should name it
   * @throws IllegalArgumentException if the file cannot be read, naming {@code what} and the file
   */
  public static byte[] read(String what, Path file) {
    Objects.requireNonNull(file, what);
    try {
      return checked(what + " " + file, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e, e);
    }
  }

  /**
   * Reads {@code in} to its end; the caller still closes it.
   *
   * @throws UncheckedIOException if reading fails
   */
  public static byte[] read(String what, InputStream in) {
    Objects.requireNonNull(in, what);
    try {
      return checked(what, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private static byte[] checked(String what, byte[] pem) {
    if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
      throw new IllegalArgumentException(what + " is not PEM: no -----BEGIN line");
    }
    return pem;
  }
}
