package io.hellogrpc.server.internal;

import io.hellogrpc.server.TokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One shared token. Compares SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * says nothing about how much of a guess, or of its length, was right.
 */
public final class StaticToken implements TokenAuthenticator {
  /** The principal of a call that presented the shared token. */
  public static final String PRINCIPAL = "token";

  private final byte[] expectedDigest;

  public StaticToken(String token) {
    this.expectedDigest = sha256(token);
  }

  @Override
  public String authenticate(String token) {
    return MessageDigest.isEqual(expectedDigest, sha256(token)) ? PRINCIPAL : null;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
