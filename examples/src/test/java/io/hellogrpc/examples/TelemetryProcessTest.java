package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.Waiting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server command with {@code --metrics-port} serves Prometheus text through OpenTelemetry's
 * Prometheus exporter, scraped over HTTP after a known workload; server and client with
 * {@code --otlp-endpoint} send their spans and metrics over OTLP/HTTP.
 */
@Timeout(90)
class TelemetryProcessTest {
  private static final Pattern LISTENING = Pattern.compile("HelloService listening on port (\\d+)");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*\\})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private Process server;
  private HttpServer collector;

  @AfterEach
  void stop() {
    if (server != null) {
      server.destroyForcibly();
    }
    if (collector != null) {
      collector.stop(0);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Starts the server command in a JVM of its own; returns the port it serves on. */
  private int startServer(List<String> lines, String... options) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED", // as the examples jar's manifest does
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--port", "0", "--host", "127.0.0.1"));
    command.addAll(List.of(options));
    server = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String first = output.readLine();
    Matcher listening = LISTENING.matcher(String.valueOf(first));
    assertThat(listening.matches()).as(first).isTrue();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "server-output");
    reader.setDaemon(true);
    reader.start();
    return Integer.parseInt(listening.group(1));
  }

  /** Three sessions of 100 messages and ten Hellos, every reply checked. */
  private static void knownWorkload(int port) throws Exception {
    try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build()) {
      for (int s = 0; s < 3; s++) {
        try (ChatSession chat = client.openChat()) {
          for (int i = 0; i < 100; i++) {
            chat.send("m" + i);
          }
          chat.complete();
          for (int i = 0; i < 100; i++) {
            assertThat(chat.receive()).isEqualTo("hello:m" + i);
          }
          assertThat(chat.receive()).isNull();
        }
      }
      for (int i = 0; i < 10; i++) {
        assertThat(client.hello("you " + i)).isEqualTo("hello:you " + i);
      }
    }
  }

  /**
   * The samples of a Prometheus text page, {@code name{labels}} to value, the labels sorted and
   * without OpenTelemetry's {@code otel_scope_*} ones, the value as a plain number ({@code 300}, as
   * the exporter writes a count, for the {@code 300.0} it writes a counter as).
   */
  private static Map<String, String> samples(String page) {
    Map<String, String> samples = new TreeMap<>();
    for (String line : page.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertThat(sample.matches()).as(line).isTrue();
      Map<String, String> labels = new TreeMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          if (!label.group(1).startsWith("otel_scope_")) {
            labels.put(label.group(1), label.group(2));
          }
        }
      }
      StringBuilder key = new StringBuilder(sample.group(1));
      if (!labels.isEmpty()) {
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=\"" + v + "\""));
        key.append('{').append(String.join(",", pairs)).append('}');
      }
      samples.put(key.toString(), plain(sample.group(3)));
    }
    return samples;
  }

  private static final Pattern SUM_OR_BUCKET = Pattern.compile(".*_(sum|bucket)(\\{.*)?");

  private static Map<String, String> withoutSumsAndBuckets(
      Map<String, String> samples, String prefix) {
    Map<String, String> kept = new TreeMap<>();
    samples.forEach(
        (key, value) -> {
          if (key.startsWith(prefix) && !SUM_OR_BUCKET.matcher(key).matches()) {
            kept.put(key, value);
          }
        });
    return kept;
  }

  private static String plain(String value) {
    try {
      return new BigDecimal(value).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return value; // NaN, +Inf
    }
  }

  private static String scrape(int metricsPort) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void serverServesPrometheusMetricsOfAKnownWorkloadExactly() throws Exception {
    int metricsPort = freePort();
    List<String> lines = new CopyOnWriteArrayList<>();
    int port = startServer(lines, "--metrics-port", Integer.toString(metricsPort));
    Waiting.until(
        "the server says where its metrics are",
        () -> lines.contains("Prometheus metrics at http://127.0.0.1:" + metricsPort + "/metrics"));

    knownWorkload(port);

    Map<String, String> expected = new TreeMap<>();
    expected.put("hello_server_session_active", "0");
    expected.put("hello_server_session_sent_messages_total", "300");
    expected.put("hello_server_session_received_messages_total", "300");
    expected.put("hello_server_session_receive_buffer_usage", "0");
    expected.put("hello_server_session_receive_buffer_limit", "0");
    expected.put(
        "hello_server_session_duration_seconds_count{rpc_response_status_code=\"OK\"}", "3");
    expected.put(
        "hello_server_hello_duration_seconds_count{rpc_response_status_code=\"OK\"}", "10");
    expected.put(
        "grpc_server_call_started_total{grpc_method=\"hello.v1.HelloService/Channel\"}", "3");
    expected.put(
        "grpc_server_call_started_total{grpc_method=\"hello.v1.HelloService/Hello\"}", "10");
    expected.put(
        "grpc_server_call_duration_seconds_count{grpc_method=\"hello.v1.HelloService/Channel\","
            + "grpc_status=\"OK\"}",
        "3");
    expected.put(
        "grpc_server_call_duration_seconds_count{grpc_method=\"hello.v1.HelloService/Hello\","
            + "grpc_status=\"OK\"}",
        "10");
    Map<String, String> scraped = new TreeMap<>();
    Waiting.until(
        "the server's figures show the workload",
        () -> {
          try {
            scraped.clear();
            scraped.putAll(samples(scrape(metricsPort)));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return scraped.entrySet().containsAll(expected.entrySet());
        });
    assertThat(scraped).containsAllEntriesOf(expected);
    // The library's figures are these and no others (durations' sums and buckets aside): no
    // sender waited, so the wait histogram has no sample yet.
    assertThat(withoutSumsAndBuckets(scraped, "hello_"))
        .isEqualTo(withoutSumsAndBuckets(expected, "hello_"));
    // Every Hello took less than a minute, and so on: the histogram's buckets are all there.
    assertThat(scraped)
        .containsEntry(
            "hello_server_hello_duration_seconds_bucket{le=\"+Inf\","
                + "rpc_response_status_code=\"OK\"}",
            "10")
        .containsEntry(
            "hello_server_session_duration_seconds_bucket{le=\"+Inf\","
                + "rpc_response_status_code=\"OK\"}",
            "3");
  }

  @Test
  void serverAndClientSendTheirSpansAndMetricsOverOtlp() throws Exception {
    Map<String, List<String>> received = new ConcurrentHashMap<>();
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received
              .computeIfAbsent(
                  exchange.getRequestURI().getPath(), path -> new CopyOnWriteArrayList<>())
              .add(
                  exchange.getRequestHeaders().getFirst("Content-Type") + " "
                      + new String(body, StandardCharsets.ISO_8859_1));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
    List<String> lines = new CopyOnWriteArrayList<>();
    int port = startServer(lines, "--otlp-endpoint", endpoint);

    Captured client =
        Captured.run(
            "client", "--target", "127.0.0.1:" + port, "--messages", "100",
            "--otlp-endpoint", endpoint);
    assertThat(client.exitCode()).as(client.err()).isZero();
    assertThat(client.out()).contains("sent 100, received 100, all in order");
    server.toHandle().destroy(); // SIGTERM: the server drains, then flushes its telemetry
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // Protobuf keeps strings as they are: the span names and services show in the bodies. Each
    // program may send its spans in more than one batch.
    assertThat(received.get("/v1/traces"))
        .allMatch(body -> body.startsWith("application/x-protobuf "));
    assertThat(sentBy("hello-client", received.get("/v1/traces")))
        .contains("hello.v1.HelloService/Hello", "hello.v1.HelloService/Channel");
    assertThat(sentBy("hello-server", received.get("/v1/traces")))
        .contains("hello.v1.HelloService/Hello", "hello.v1.HelloService/Channel");
    assertThat(sentBy("hello-client", received.get("/v1/metrics")))
        .contains("hello.client.session.sent.messages", "grpc.client.attempt.duration");
    assertThat(sentBy("hello-server", received.get("/v1/metrics")))
        .contains("hello.server.session.received.messages", "grpc.server.call.duration");
  }

  /** What the program of {@code service} sent, its requests' bodies one after the other. */
  private static String sentBy(String service, List<String> bodies) {
    assertThat(bodies).isNotNull();
    return String.join("\n", bodies.stream().filter(body -> body.contains(service)).toList());
  }
}
