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
    // Cheap bound first: a UTF-8 encoding is at most 3 bytes per char, plus tag and length.
    if (message.length() * 3L + 6 <= maxMessageBytes) {
      return;
    }
    int size = encodedSize(message);
    if (size > maxMessageBytes) {
      throw new IllegalArgumentException(
          "message of " + size + " bytes exceeds the limit of " + maxMessageBytes
              + " bytes (maxMessageSize); it was not sent");
    }
  }

  /** The size of {@code message} on the wire, inside its protobuf envelope. */
  public static int encodedSize(String message) {
    return message.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, message);
  }
}
