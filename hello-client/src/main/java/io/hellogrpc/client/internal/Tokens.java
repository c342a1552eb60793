package io.hellogrpc.client.internal;

/** What a bearer token may be: visible ASCII (RFC 6750 allows less; headers allow no more). */
public final class Tokens {
  private Tokens() {}

  /** Why {@code token} cannot be sent, without repeating it; null if it can. */
  public static String problem(String token) {
    if (token == null) {
      return "null";
    }
    if (token.isEmpty()) {
      return "an empty token";
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      return "a token with characters other than visible ASCII ("
          + token.length() + " characters; the value is not repeated here)";
    }
    return null;
  }
}
