package io.hellogrpc.server.internal.otel;

import io.grpc.ServerBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * grpc-java's standard per-call server metrics (gRFC A66: {@code grpc.server.call.started},
 * {@code grpc.server.call.duration}, ...) through grpc-opentelemetry. Loaded only with
 * OpenTelemetry.
 */
public final class GrpcMetrics {
  private GrpcMetrics() {}

  /** @param openTelemetry an {@link OpenTelemetry} */
  public static void configure(Object openTelemetry, ServerBuilder<?> server) {
    GrpcOpenTelemetry.newBuilder()
        .sdk((OpenTelemetry) openTelemetry)
        .build()
        .configureServerBuilder(server);
  }
}
