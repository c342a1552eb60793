package io.hellogrpc.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM material (certificates, keys) whole when a builder is given it, so a missing file is
 * reported by the setter that named it and the builder keeps no file handle or stream.
 */
public final class Pem {
  // Text around and between blocks is allowed, as openssl writes it ("Bag Attributes", -text).
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /**
   * One {@code -----BEGIN label-----} block.
   *
   * @param label such as {@code CERTIFICATE} or {@code PRIVATE KEY}
   * @param body the base64 text between the lines
   */
  public record Block(String label, String body) {
    /** The DER bytes the base64 encodes. */
    public byte[] der() {
      return Base64.getMimeDecoder().decode(body); // skips line breaks
    }
  }

  private Pem() {}

  /** The blocks of {@code pem}, in order. */
  public static List<Block> blocks(byte[] pem) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    return blocks;
  }

  /**
   * Refuses PEM that ends in the middle of a block, as a file read while it is being written does,
   * where the blocks before it would parse fine: a CA bundle cut short would quietly trust fewer
   * CAs.
   *
   * @throws IllegalArgumentException naming {@code what}, if a {@code -----BEGIN} line has no
   *     {@code -----END} line
   */
  public static void requireComplete(String what, byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    int begins = 0;
    for (int at = text.indexOf("-----BEGIN "); at >= 0; at = text.indexOf("-----BEGIN ", at + 1)) {
      begins++;
    }
    if (begins != blocks(pem).size()) {
      throw new IllegalArgumentException(
          what + " ends in the middle of a PEM block (a BEGIN line without its END line): cut"
              + " short, or read while it was being written");
    }
  }

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
