package io.hellogrpc.examples;

import io.hellogrpc.client.HelloClient;
import java.util.Base64;

/**
 * {@code --header NAME=VALUE}: a request header for every call and session. A name ending in
 * {@code -bin} is a binary header whose value is given in base64, as grpcurl takes them.
 */
final class HeaderOption {
  private HeaderOption() {}

  /**
   * Sets {@code option}'s header on {@code client}.
   *
   * @throws Options.UsageException for a value that is not NAME=VALUE, a binary value that is not
   *     base64, or a header the library refuses, with its reason
   */
  static void apply(String option, HelloClient.Builder client) throws Options.UsageException {
    int equals = option.indexOf('=');
    if (equals <= 0) {
      throw new Options.UsageException(
          "--header needs NAME=VALUE, such as x-request-id=r-42: '" + option + "'");
    }
    String name = option.substring(0, equals);
    String value = option.substring(equals + 1);
    try {
      if (name.endsWith("-bin")) {
        client.binaryHeader(name, decode(name, value));
      } else {
        client.header(name, value);
      }
    } catch (IllegalArgumentException refused) {
      throw new Options.UsageException("--header " + option + ": " + refused.getMessage());
    }
  }

  private static byte[] decode(String name, String base64) throws Options.UsageException {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException notBase64) {
      throw new Options.UsageException(
          "--header " + name + "=...: a binary header's value is base64 (" + notBase64.getMessage()
              + ")");
    }
  }
}
