package io.hellogrpc.api.internal;

/**
 * What a bearer token may be, on either side: visible ASCII, as an HTTP/2 header value allows
 * (RFC 6750 allows less). Messages never repeat the token: it is a secret.
 */
public final class Tokens {
  private Tokens() {}

  /**
   * What is wrong with {@code token}, to follow the word "token" in a message ("token is empty");
   * null if nothing is.
   */
  public static String problem(String token) {
    if (token == null) {
      return "is null";
    }
    if (token.isEmpty()) {
      return "is empty";
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      return "has characters other than visible ASCII (" + token.length()
          + " characters; the value is not repeated here)";
    }
    return null;
  }
}
