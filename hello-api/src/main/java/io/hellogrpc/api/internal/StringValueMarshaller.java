package io.hellogrpc.api.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encodes {@code message String { string value = 1; }} straight to and from {@link String}.
 *
 * <p>The bytes are exactly what protobuf-java writes for the generated message, so peers using
 * generated code see no difference; skipping the message object saves an allocation and a copy per
 * message on the hot path of every chat session.
 */
final class StringValueMarshaller implements MethodDescriptor.Marshaller<String> {
  static final StringValueMarshaller INSTANCE = new StringValueMarshaller();

  private static final int VALUE_TAG = (1 << 3) | 2; // field 1, length-delimited
  private static final byte[] EMPTY = new byte[0];

  private StringValueMarshaller() {}

  @Override
  public InputStream stream(String value) {
    if (value.isEmpty()) {
      return new EncodedMessage(EMPTY); // proto3 leaves default values off the wire
    }
    byte[] encoded = new byte[CodedOutputStream.computeStringSize(1, value)];
    CodedOutputStream out = CodedOutputStream.newInstance(encoded);
    try {
      out.writeString(1, value);
    } catch (IOException e) {
      throw new AssertionError("the array was sized for this message", e);
    }
    return new EncodedMessage(encoded);
  }

  /** Clients decode replies here; servers decode requests with {@link HelloMethods#decodeRequest}. */
  @Override
  public String parse(InputStream stream) {
    try {
      return decode(readAll(stream));
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL
          .withDescription("invalid HelloService message from the server: " + e.getMessage())
          .withCause(e)
          .asRuntimeException();
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("could not read HelloService message")
          .withCause(e)
          .asRuntimeException();
    }
  }

  /**
   * The value of an encoded {@code hello.v1.String}.
   *
   * @throws InvalidProtocolBufferException if it is malformed or its value is not valid UTF-8
   */
  static String decode(byte[] encoded) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(encoded);
    String value = "";
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == VALUE_TAG) {
          value = in.readStringRequireUtf8(); // proto3 strings must be valid UTF-8
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) { // an array has no I/O of its own: only its content can be wrong
      throw new InvalidProtocolBufferException(e);
    }
    return value;
  }

  /** grpc hands us a stream whose {@code available()} is the whole remaining message. */
  static byte[] readAll(InputStream stream) throws IOException {
    byte[] head = stream.readNBytes(Math.max(stream.available(), 0));
    int next = stream.read();
    if (next == -1) {
      return head;
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream(head.length + 64); // a stream that under-reports
    all.write(head);
    all.write(next);
    stream.transferTo(all);
    return all.toByteArray();
  }

  /**
   * The encoded bytes, as grpc's framer wants them: {@link Drainable} writes them straight into its
   * buffer (a plain stream is copied through a fresh 8 KiB buffer per message) and
   * {@link KnownLength} sizes the frame up front.
   */
  static final class EncodedMessage extends ByteArrayInputStream implements Drainable, KnownLength {
    EncodedMessage(byte[] encoded) {
      super(encoded);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int remaining = count - pos;
      target.write(buf, pos, remaining);
      pos = count;
      return remaining;
    }
  }
}
