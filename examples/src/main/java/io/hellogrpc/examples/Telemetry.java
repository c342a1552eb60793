package io.hellogrpc.examples;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;

/**
 * The OpenTelemetry SDK an example program gives the library, as a host application would build
 * its own: metrics served to Prometheus ({@code --metrics-port}) through OpenTelemetry's
 * Prometheus exporter, and traces and metrics sent over OTLP/HTTP ({@code --otlp-endpoint}).
 */
final class Telemetry implements AutoCloseable {
  /** The server's. */
  static final Usage.Option METRICS_PORT =
      Usage.Option.withValue(
          "metrics-port", "P", "serve Prometheus metrics at http://HOST:P/metrics");
  /** The server's and the client's. */
  static final Usage.Option OTLP_ENDPOINT =
      Usage.Option.withValue(
          "otlp-endpoint",
          "URL",
          "send traces and metrics over OTLP/HTTP, such as http://localhost:4318");

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** Whether {@code options} ask for OpenTelemetry at all. */
  static boolean requested(Options options) {
    return options.has("metrics-port") || options.has("otlp-endpoint");
  }

  /**
   * An SDK for the service {@code serviceName} with the exporters {@code options} ask for.
   *
   * @param host where to serve metrics; null for every interface
   */
  static Telemetry start(Options options, String serviceName, String host)
      throws Options.UsageException {
    // Every option is checked before anything starts (the metrics endpoint listens once built).
    Integer metricsPort =
        options.has("metrics-port") ? options.integer("metrics-port", 0, 1, 65_535) : null;
    String otlp = options.string("otlp-endpoint", null);
    String base = null;
    if (otlp != null) {
      base = otlp.endsWith("/") ? otlp.substring(0, otlp.length() - 1) : otlp;
      if (!base.startsWith("http://") && !base.startsWith("https://")) {
        throw new Options.UsageException(
            "--otlp-endpoint must be an http:// or https:// URL, such as http://localhost:4318: '"
                + otlp + "'");
      }
    }
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
    SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    SdkTracerProvider tracer = null;
    if (metricsPort != null) {
      meters.registerMetricReader(
          PrometheusHttpServer.builder()
              .setHost(host == null ? "0.0.0.0" : host)
              .setPort(metricsPort)
              .build());
    }
    if (base != null) {
      meters.registerMetricReader(
          PeriodicMetricReader.builder(
                  OtlpHttpMetricExporter.builder().setEndpoint(base + "/v1/metrics").build())
              .setInterval(Duration.ofSeconds(10))
              .build());
      tracer =
          SdkTracerProvider.builder()
              .setResource(resource)
              .addSpanProcessor(
                  BatchSpanProcessor.builder(
                          OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build())
                      .build())
              .build();
    }
    OpenTelemetrySdkBuilder sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(meters.build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    if (tracer != null) {
      sdk.setTracerProvider(tracer);
    }
    return new Telemetry(sdk.build());
  }

  io.opentelemetry.api.OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Sends what is still buffered and stops the exporters (and the metrics endpoint). */
  @Override
  public void close() {
    sdk.close();
  }
}
