package io.hellogrpc.api.internal;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Hands the server each request as its encoded bytes, for the session to decode with
 * {@link HelloMethods#decodeRequest}: grpc answers a request marshaller that throws with
 * {@code UNKNOWN "Application error processing RPC"} and a SEVERE log, where an invalid message
 * deserves {@code INTERNAL} and a description of what is wrong with it.
 */
final class RequestBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  static final RequestBytesMarshaller INSTANCE = new RequestBytesMarshaller();

  private RequestBytesMarshaller() {}

  @Override
  public InputStream stream(byte[] encoded) {
    return new StringValueMarshaller.EncodedMessage(encoded);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try {
      return StringValueMarshaller.readAll(stream);
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("could not read HelloService message")
          .withCause(e)
          .asRuntimeException();
    }
  }
}
