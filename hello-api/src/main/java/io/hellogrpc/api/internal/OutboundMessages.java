package io.hellogrpc.api.internal;

import com.google.protobuf.CodedOutputStream;

/** The checks every outgoing message passes before it may reach the transport. */
public final class OutboundMessages {
  private OutboundMessages() {}

  /**
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if its encoding exceeds {@code maxMessageBytes}
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
