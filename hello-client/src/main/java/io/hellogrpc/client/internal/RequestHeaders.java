package io.hellogrpc.client.internal;

import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Request headers an application set, checked as they are set, in the order first set. A name set
 * again keeps its place and takes the new value; per-call headers replace the client's of the same
 * name ({@link #overriddenBy}).
 *
 * <p>What may be set is what gRPC lets an application send (its HTTP/2 protocol spec, "Custom
 * Metadata"): lowercase names of {@code 0-9 a-z _ - .}, ASCII values of visible characters and
 * spaces, and binary values under names ending {@code -bin}. Names that gRPC, HTTP/2 or this
 * library own are refused rather than quietly dropped or overwritten on the way out, which is what
 * grpc would do with most of them.
 */
public final class RequestHeaders {
  public static final RequestHeaders NONE = new RequestHeaders(Map.of());

  /**
   * Names nobody may set: transport headers HTTP/2 or gRPC write themselves, connection-specific
   * ones HTTP/2 forbids, and {@code authorization}, which only {@code token(...)} sets, so that
   * credentials never bypass its refusal to go over plaintext.
   */
  private static final Set<String> RESERVED =
      Set.of(
          "te",
          "content-type",
          "content-length",
          "content-encoding",
          "accept-encoding",
          "user-agent",
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "authorization");

  /** Name to value: a String, or a byte[] this class owns, for a {@code -bin} name. */
  private final Map<String, Object> values;

  private RequestHeaders(Map<String, Object> values) {
    this.values = values;
  }

  /** A copy of {@code values}, whose entries went through {@link #checkAscii}/{@link #checkBinary}. */
  public static RequestHeaders of(Map<String, Object> values) {
    return values.isEmpty()
        ? NONE
        : new RequestHeaders(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /**
   * Checks an ASCII header as an application sets it.
   *
   * @throws IllegalArgumentException naming the header and what is wrong with it
   */
  public static void checkAscii(String name, String value) {
    checkName(name);
    Objects.requireNonNull(value, () -> "value of header '" + name + "'");
    if (name.endsWith("-bin")) {
      throw new IllegalArgumentException(
          "header '" + name + "' is binary (its name ends in -bin): set it with binaryHeader(name,"
              + " bytes)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "header '" + name + "' has "
                + (c < 0x20 || c == 0x7f
                    ? String.format("the control character U+%04X", (int) c)
                    : String.format("the non-ASCII character U+%04X", (int) c))
                + " at index " + i
                + ": a header value is visible ASCII and spaces; send other bytes in a binary"
                + " header (a name ending in -bin)");
      }
    }
  }

  /**
   * Checks a binary header as an application sets it.
   *
   * @return a copy of {@code value}, for the headers to own
   * @throws IllegalArgumentException naming the header and what is wrong with it
   */
  public static byte[] checkBinary(String name, byte[] value) {
    checkName(name);
    Objects.requireNonNull(value, () -> "value of header '" + name + "'");
    if (!name.endsWith("-bin") || name.length() == "-bin".length()) {
      throw new IllegalArgumentException(
          "binary header '" + name + "' needs a name ending in -bin, such as '" + name + "-bin'"
              + " (gRPC base64-encodes those on the wire)");
    }
    return value.clone();
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "header name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a header name must not be empty");
    }
    if (name.startsWith(":")) {
      throw new IllegalArgumentException(
          "header '" + name + "' is an HTTP/2 pseudo-header: grpc sets those itself");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        throw new IllegalArgumentException(
            "header name '" + name + "' has uppercase letters: HTTP/2 header names are"
                + " lowercase; use '" + name.toLowerCase(java.util.Locale.ROOT) + "'");
      }
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException(
            "header name '" + name + "' has "
                + (c < 0x20 || c > 0x7e
                    ? String.format("the character U+%04X", (int) c)
                    : "'" + c + "'")
                + " at index " + i + ": a header name has only a-z, 0-9, '-', '_' and '.'");
      }
    }
    if (name.startsWith("grpc-")) {
      throw new IllegalArgumentException(
          "header '" + name + "' is reserved: names starting grpc- belong to gRPC itself");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(
          "header '" + name + "' is reserved: "
              + (name.equals("authorization")
                  ? "set credentials with token(...), which sends them over TLS only"
                  : name.equals("user-agent")
                      ? "grpc sends its own user-agent and would drop this one"
                      : "HTTP/2 and gRPC set it themselves, or forbid it"));
    }
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public boolean contains(String name) {
    return values.containsKey(name);
  }

  /** These headers, with {@code overrides}' replacing any of the same name. */
  public RequestHeaders overriddenBy(RequestHeaders overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return overrides;
    }
    Map<String, Object> merged = new LinkedHashMap<>(values);
    merged.putAll(overrides.values);
    return new RequestHeaders(Collections.unmodifiableMap(merged));
  }

  /** Name to value (a String, or a byte[] not to be changed), in order. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** The names, in order, for messages and tests. */
  public List<String> names() {
    return new ArrayList<>(values.keySet());
  }

  /** A fresh {@link Metadata} with these headers: grpc changes what it is given. */
  public Metadata toMetadata() {
    Metadata metadata = new Metadata();
    values.forEach(
        (name, value) -> {
          if (value instanceof byte[] bytes) {
            metadata.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), bytes.clone());
          } else {
            metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), (String) value);
          }
        });
    return metadata;
  }
}
