package io.hellogrpc.api.internal;

/**
 * The builders' {@code openTelemetry(...)} also needs grpc-opentelemetry, which the library
 * declares optional beside OpenTelemetry: without it, the setter says what to add, rather than a
 * {@code NoClassDefFoundError} surfacing from {@code start()} or {@code build()}. Plain Java: it
 * names the class, never loads it.
 */
public final class GrpcOpenTelemetryCheck {
  static final String CLASS = "io.grpc.opentelemetry.GrpcOpenTelemetry";

  private GrpcOpenTelemetryCheck() {}

  /** @throws IllegalStateException if io.grpc:grpc-opentelemetry is not on the class path */
  public static void require() {
    try {
      Class.forName(CLASS, false, GrpcOpenTelemetryCheck.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "openTelemetry(...) needs io.grpc:grpc-opentelemetry on the class path, at the version"
              + " of the application's other io.grpc artifacts (grpc-bom): the library declares it"
              + " optional, as it does OpenTelemetry",
          e);
    }
  }
}
