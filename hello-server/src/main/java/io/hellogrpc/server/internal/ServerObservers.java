package io.hellogrpc.server.internal;

import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.internal.ListenerObserver;
import io.hellogrpc.api.internal.Observer;
import io.hellogrpc.api.internal.Observers;
import io.hellogrpc.api.internal.otel.OpenTelemetryObserver;
import io.hellogrpc.server.internal.otel.GrpcMetrics;
import java.util.logging.Logger;

/**
 * What watches a server: the application's {@link HelloEventListener}, OpenTelemetry, or both.
 *
 * <p>OpenTelemetry is held as an {@code Object}: this class, and every class the server loads
 * without OpenTelemetry, only name OpenTelemetry's types in code that runs once the application
 * gave one, so a host application without OpenTelemetry on its class path never loads any.
 */
public final class ServerObservers {
  private final Observer observer;
  private final Object openTelemetry; // an io.opentelemetry.api.OpenTelemetry, or null

  private ServerObservers(Observer observer, Object openTelemetry) {
    this.observer = observer;
    this.openTelemetry = openTelemetry;
  }

  /**
   * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry}, or null
   * @return null when there is nothing to tell: then the server runs exactly as without
   */
  public static ServerObservers of(HelloEventListener listener, Object openTelemetry) {
    if (listener == null && openTelemetry == null) {
      return null;
    }
    Observer observer =
        Observers.both(
            openTelemetry == null ? null : OpenTelemetryObserver.create(openTelemetry, false),
            listener == null
                ? null
                : new ListenerObserver(listener, Logger.getLogger("io.hellogrpc.server")));
    return new ServerObservers(observer, openTelemetry);
  }

  /** grpc's own per-call metrics (gRFC A66), with OpenTelemetry. */
  void configure(ServerBuilder<?> transport) {
    if (openTelemetry != null) {
      GrpcMetrics.configure(openTelemetry, transport);
    }
  }

  /** The service, with every call observed. */
  ServerServiceDefinition intercept(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(service, new ObservedCalls(observer));
  }
}
