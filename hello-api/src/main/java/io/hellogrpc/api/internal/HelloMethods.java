package io.hellogrpc.api.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.hellogrpc.api.proto.HelloServiceGrpc;

/**
 * The two HelloService methods, typed as {@code String -> String}: the generated descriptors
 * (full names, method types, schema for reflection) with {@link StringValueMarshaller} in place of
 * the message marshaller. Clients call these.
 *
 * <p>Servers register the {@code SERVER_} variants, whose requests arrive as bytes that the session
 * decodes with {@link #decodeRequest}, so that a client sending an invalid message (a value that is
 * not UTF-8, say) gets {@code INTERNAL} saying so, not grpc's {@code UNKNOWN} "Application error
 * processing RPC".
 */
public final class HelloMethods {
  public static final MethodDescriptor<String, String> HELLO =
      HelloServiceGrpc.getHelloMethod()
          .toBuilder(StringValueMarshaller.INSTANCE, StringValueMarshaller.INSTANCE)
          .build();

  public static final MethodDescriptor<String, String> CHANNEL =
      HelloServiceGrpc.getChannelMethod()
          .toBuilder(StringValueMarshaller.INSTANCE, StringValueMarshaller.INSTANCE)
          .build();

  /** {@code hello.v1.HelloService}, as health checks and service configs name it. */
  public static final String SERVICE_NAME = HelloServiceGrpc.SERVICE_NAME;

  /** {@code Hello} as the server registers it: requests arrive encoded. */
  public static final MethodDescriptor<byte[], String> SERVER_HELLO =
      HelloServiceGrpc.getHelloMethod()
          .toBuilder(RequestBytesMarshaller.INSTANCE, StringValueMarshaller.INSTANCE)
          .build();

  /** {@code Channel} as the server registers it: requests arrive encoded. */
  public static final MethodDescriptor<byte[], String> SERVER_CHANNEL =
      HelloServiceGrpc.getChannelMethod()
          .toBuilder(RequestBytesMarshaller.INSTANCE, StringValueMarshaller.INSTANCE)
          .build();

  /** The service as the server registers it, with the same schema for reflection. */
  public static final ServiceDescriptor SERVER_SERVICE =
      ServiceDescriptor.newBuilder(HelloServiceGrpc.SERVICE_NAME)
          .setSchemaDescriptor(HelloServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
          .addMethod(SERVER_HELLO)
          .addMethod(SERVER_CHANNEL)
          .build();

  private HelloMethods() {}

  /**
   * Decodes a request the server received.
   *
   * @throws StatusException {@code INTERNAL}, saying what is wrong, if it is not a valid
   *     {@code hello.v1.String}; the call should end with it
   */
  public static String decodeRequest(byte[] encoded) throws StatusException {
    try {
      return StringValueMarshaller.decode(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL
          .withDescription("invalid HelloService message from the client: " + e.getMessage())
          .asException();
    }
  }
}
