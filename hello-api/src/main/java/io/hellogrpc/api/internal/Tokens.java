package io.hellogrpc.api.internal;

/**
 * What a bearer token may be, on either side: visible ASCII, as an HTTP/2 header value allows
 * (RFC 6750 allows less). Messages never repeat the token: it is a secret.
 */
public final class Tokens {
  private Tokens() {}

  /**
   * Checks a token given to a builder.
   *
   * @throws IllegalArgumentException saying what is wrong, without the token
   */
  public static String check(String token) {
    java.util.Objects.requireNonNull(token, "token");
    String problem = problem(token);
    if (problem != null) {
      throw new IllegalArgumentException("token " + problem);
    }
    return token;
  }

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
