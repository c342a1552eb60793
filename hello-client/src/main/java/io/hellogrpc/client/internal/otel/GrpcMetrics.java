package io.hellogrpc.client.internal.otel;

import io.grpc.ManagedChannelBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * grpc-java's standard per-call client metrics (gRFC A66: {@code grpc.client.attempt.started},
 * {@code grpc.client.attempt.duration}, {@code grpc.client.call.duration}, ...) through
 * grpc-opentelemetry. Loaded only with OpenTelemetry.
 */
public final class GrpcMetrics {
  private GrpcMetrics() {}

  /**
   * @param openTelemetry an {@link OpenTelemetry}
   * @return a {@link GrpcOpenTelemetry}, one per client, for {@link #configure}
   */
  public static Object create(Object openTelemetry) {
    return GrpcOpenTelemetry.newBuilder().sdk((OpenTelemetry) openTelemetry).build();
  }

  /** @param grpcMetrics what {@link #create} returned */
  public static void configure(Object grpcMetrics, ManagedChannelBuilder<?> channel) {
    ((GrpcOpenTelemetry) grpcMetrics).configureChannelBuilder(channel);
  }
}
