package io.hellogrpc.benchmarks;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the library is observed in the OpenTelemetry rows of stream and unary ({@code --telemetry}):
 * client and server each get an SDK of their own, as two processes would, set up as a production
 * service would set it up, except that the exporters discard what they are given. So a row measures
 * the library's instrumentation, grpc-opentelemetry's and the SDK's aggregation and batching, not a
 * collector's network.
 */
enum Telemetry {
  /** No OpenTelemetry at all: the library's own row. */
  OFF("off", "", false, 0),
  /** Metrics (the library's and grpc's), collected every 10 s; no tracer provider. */
  METRICS("metrics", "OTel metrics", true, 0),
  /** Metrics, and a span per Hello and session, 1% of traces sampled (parent-based). */
  TRACES_1("traces-1", "OTel metrics + 1% traces", true, 0.01),
  /** Metrics, and every Hello and session traced. */
  TRACES_100("traces-100", "OTel metrics + 100% traces", true, 1.0);

  /** Its name in {@code --telemetry} and in the server's port line. */
  final String key;
  /** What its rows add to the figure. */
  final String label;

  private final boolean metrics;
  private final double sampled; // 0: no tracer provider

  Telemetry(String key, String label, boolean metrics, double sampled) {
    this.key = key;
    this.label = label;
    this.metrics = metrics;
    this.sampled = sampled;
  }

  /** The label of its contender: the library's column with OpenTelemetry on, in this mode. */
  String contenderLabel() {
    return this == OFF ? Implementation.LIBRARY.label : Implementation.LIBRARY.label + ", " + label;
  }

  /** A fresh SDK in this mode; null for {@link #OFF}. The caller closes it. */
  OpenTelemetrySdk newSdk() {
    if (this == OFF) {
      return null;
    }
    var sdk =
        OpenTelemetrySdk.builder()
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    if (metrics) {
      sdk.setMeterProvider(
          SdkMeterProvider.builder()
              .registerMetricReader(
                  PeriodicMetricReader.builder(new DiscardingMetricExporter())
                      .setInterval(Duration.ofSeconds(10))
                      .build())
              .build());
    }
    if (sampled > 0) {
      sdk.setTracerProvider(
          SdkTracerProvider.builder()
              .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampled)))
              .addSpanProcessor(BatchSpanProcessor.builder(new DiscardingSpanExporter()).build())
              .build());
    }
    return sdk.build();
  }

  static Telemetry byKey(String key) {
    for (Telemetry telemetry : values()) {
      if (telemetry.key.equals(key)) {
        return telemetry;
      }
    }
    throw new IllegalArgumentException("no telemetry mode called '" + key + "'");
  }

  /**
   * {@code --telemetry metrics,traces-1,traces-100}: the modes to add rows for, in order; "off" is
   * always measured (it is the library's own row) and may be left out.
   */
  static List<Telemetry> parseList(String list) throws Options.UsageException {
    List<Telemetry> modes = new ArrayList<>();
    if (list == null || list.isBlank()) {
      return modes;
    }
    for (String key : list.split(",")) {
      Telemetry mode;
      try {
        mode = byKey(key.trim());
      } catch (IllegalArgumentException e) {
        throw new Options.UsageException(
            "--telemetry takes metrics, traces-1 and traces-100, comma-separated: '" + key + "'");
      }
      if (mode != OFF && !modes.contains(mode)) {
        modes.add(mode);
      }
    }
    return modes;
  }

  /**
   * The row of {@code mode} from the cells of every contender: its contender's cell in the
   * library's column, the yardsticks' as they are (so the ratio columns compare it with them), and
   * no other contender's.
   */
  static Map<String, ResultTable.Cell> rowOf(Telemetry mode, Map<String, ResultTable.Cell> cells) {
    Map<String, ResultTable.Cell> row = new HashMap<>(cells);
    for (Telemetry other : values()) {
      row.remove(other.contenderLabel());
    }
    ResultTable.Cell mine = cells.get(mode.contenderLabel());
    if (mine != null) {
      row.put(Implementation.LIBRARY.label, mine);
    }
    return row;
  }

  /** What the OpenTelemetry modes cost against off, from the medians, for a note under the table. */
  static String costNote(
      String workload, String figure, List<Telemetry> modes, Map<String, ResultTable.Cell> cells) {
    ResultTable.Cell off = cells.get(OFF.contenderLabel());
    List<String> ratios = new ArrayList<>();
    for (Telemetry mode : modes) {
      ResultTable.Cell on = cells.get(mode.contenderLabel());
      if (off != null && on != null && off.value() > 0 && !Double.isNaN(on.value())) {
        ratios.add(String.format(Locale.ROOT, "%s %.3fx", mode.label, on.value() / off.value()));
      }
    }
    return ratios.isEmpty()
        ? null
        : workload + ", " + figure + ", OpenTelemetry on / off: " + String.join(", ", ratios);
  }

  /** Takes the metrics and drops them, as a collector that is far away costs nothing here. */
  private static final class DiscardingMetricExporter implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE; // as Prometheus wants them
    }

    @Override
    public MemoryMode getMemoryMode() {
      return MemoryMode.REUSABLE_DATA;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Takes the spans the batch processor hands over and drops them. */
  private static final class DiscardingSpanExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
