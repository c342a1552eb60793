package io.hellogrpc.api.internal;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.hellogrpc.api.proto.HelloServiceGrpc;

/**
 * The two HelloService methods, typed as {@code String -> String}: the generated descriptors
 * (full names, method types, schema for reflection) with {@link StringValueMarshaller} in place of
 * the message marshaller.
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

  /** The service with both methods and the generated file descriptor, as servers register it. */
  public static final ServiceDescriptor SERVICE =
      ServiceDescriptor.newBuilder(HelloServiceGrpc.SERVICE_NAME)
          .setSchemaDescriptor(HelloServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
          .addMethod(HELLO)
          .addMethod(CHANNEL)
          .build();

  private HelloMethods() {}
}
