package io.hellogrpc.api.internal;

import com.google.protobuf.CodedOutputStream;

/** The checks every outgoing message passes before it may reach the transport. */
public final class OutboundMessages {
  private OutboundMessages() {}

  /**
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if its encoding exceeds {@code maxMessageBytes}, or it has a
   *     lone surrogate, naming its index
   */
  public static void check(String message, int maxMessageBytes) {
    if (message == null) {
      throw new NullPointerException("message is null: HelloService carries text, send \"\" for none");
    }
    if (!fits(message, maxMessageBytes)) {
      throw new IllegalArgumentException(
          "message of " + encodedSize(message) + " bytes exceeds the limit of " + maxMessageBytes
              + " bytes (maxMessageSize); it was not sent");
    }
    String loneSurrogate = loneSurrogate(message);
    if (loneSurrogate != null) {
      throw new IllegalArgumentException("message has " + loneSurrogate + "; it was not sent");
    }
  }

  /**
   * What is wrong with the first half of a UTF-16 surrogate pair in {@code message} that lacks its
   * other half, or null if there is none. UTF-8 cannot encode one: the encoder would send "?" in
   * its place, and the peer would get a message nobody sent. Scans chars and allocates nothing
   * unless there is one: every message sent passes here.
   */
  public static String loneSurrogate(String message) {
    for (int i = 0, n = message.length(); i < n; i++) {
      char c = message.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(message.charAt(i + 1))) {
          i++; // a pair: one code point beyond U+FFFF
        } else {
          return String.format(
              "a lone surrogate \\u%04X at index %d, which UTF-8 cannot encode (half of a UTF-16"
                  + " pair without its other half)",
              (int) c, i);
        }
      }
    }
    return null;
  }

  /** Whether {@code message} encodes to at most {@code maxMessageBytes}. */
  public static boolean fits(String message, int maxMessageBytes) {
    // Cheap bound first: a UTF-8 encoding is at most 3 bytes per char, plus tag and length.
    return message.length() * 3L + 6 <= maxMessageBytes
        || encodedSize(message) <= maxMessageBytes;
  }

  /** The size of {@code message} on the wire, inside its protobuf envelope. */
  public static int encodedSize(String message) {
    return message.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, message);
  }
}
