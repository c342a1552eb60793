package io.hellogrpc.client;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One process's OpenTelemetry as a test sees it: an SDK whose spans and metrics stay in memory.
 * Built without propagators, as {@code OpenTelemetrySdk.builder()} leaves them, so the library's
 * W3C default carries the trace from client to server.
 */
final class TestTelemetry implements AutoCloseable {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .build();

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  SpanData span(String name) {
    List<SpanData> named = spans().stream().filter(s -> s.getName().equals(name)).toList();
    if (named.size() != 1) {
      throw new AssertionError("expected one span " + name + ", found " + spans());
    }
    return named.get(0);
  }

  /**
   * The library's metrics ({@code hello.*}) collected now, one line per point, sorted: a counter
   * or gauge as {@code name{attributes} = value}, a histogram as {@code name{attributes} count=N}.
   */
  List<String> helloFigures() {
    return figures(collect(), "hello.");
  }

  Collection<MetricData> collect() {
    return metrics.collectAllMetrics();
  }

  static List<String> figures(Collection<MetricData> collected, String prefix) {
    List<String> lines = new ArrayList<>();
    for (MetricData metric : collected) {
      if (!metric.getName().startsWith(prefix)) {
        continue;
      }
      if (metric.getType() == MetricDataType.HISTOGRAM) {
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          lines.add(
              metric.getName() + attributes(point.getAttributes().asMap()) + " count="
                  + point.getCount());
        }
      } else if (metric.getType() == MetricDataType.LONG_SUM) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          lines.add(
              metric.getName() + attributes(point.getAttributes().asMap()) + " = "
                  + point.getValue());
        }
      } else {
        lines.add(metric.getName() + " of type " + metric.getType());
      }
    }
    lines.sort(null);
    return lines;
  }

  private static String attributes(Map<?, ?> attributes) {
    Map<String, String> sorted = new TreeMap<>();
    attributes.forEach((key, value) -> sorted.put(key.toString(), String.valueOf(value)));
    return sorted.isEmpty()
        ? ""
        : sorted.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",", "{", "}"));
  }

  @Override
  public void close() {
    sdk.close();
  }
}
