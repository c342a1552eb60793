package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics: the library's own ({@code hello.client.*}, {@code hello.server.*}) and grpc's (gRFC
 * A66), figure by figure, after a known workload and while sessions are open. Client and server
 * each have their own OpenTelemetry, joined in-process.
 */
@Timeout(60)
class OpenTelemetryMetricsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final TestTelemetry clientSide = new TestTelemetry();
  private final TestTelemetry serverSide = new TestTelemetry();
  private InProcessPair pair;

  private void start(HelloServer.Builder server) throws Exception {
    pair =
        InProcessPair.start(
            server.openTelemetry(serverSide.openTelemetry()),
            client -> client.openTelemetry(clientSide.openTelemetry()));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    clientSide.close();
    serverSide.close();
  }

  private static HelloServer.Builder greetingAllButNobody() {
    return HelloServer.builder()
        .onHello(
            name -> {
              if (name.equals("nobody")) {
                throw new HelloException(StatusCode.NOT_FOUND, "nobody to greet");
              }
              return "hello:" + name;
            });
  }

  /** Two sessions of ten messages each, five Hellos answered and one refused. */
  private void knownWorkload() throws Exception {
    for (int s = 0; s < 2; s++) {
      try (ChatSession chat = pair.client.openChat()) {
        for (int i = 0; i < 10; i++) {
          chat.send("m" + i);
        }
        chat.complete();
        for (int i = 0; i < 10; i++) {
          assertThat(chat.receive()).isEqualTo("hello:m" + i);
        }
        assertThat(chat.receive()).isNull();
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat(pair.client.hello("you")).isEqualTo("hello:you");
    }
    assertThatThrownBy(() -> pair.client.hello("nobody")).isInstanceOf(HelloException.class);
  }

  @Test
  void afterAKnownWorkloadEachSideCountsItExactly() throws Exception {
    start(greetingAllButNobody());
    knownWorkload();

    List<String> client =
        List.of(
            "hello.client.hello.duration{rpc.response.status_code=NOT_FOUND} count=1",
            "hello.client.hello.duration{rpc.response.status_code=OK} count=5",
            "hello.client.session.active = 0",
            "hello.client.session.duration{rpc.response.status_code=OK} count=2",
            "hello.client.session.receive_buffer.limit = 0",
            "hello.client.session.receive_buffer.usage = 0",
            "hello.client.session.received.messages = 20",
            "hello.client.session.sent.messages = 20");
    Waiting.until("the client's sessions end", () -> clientSide.helloFigures().equals(client));
    List<String> server =
        List.of(
            "hello.server.hello.duration{rpc.response.status_code=NOT_FOUND} count=1",
            "hello.server.hello.duration{rpc.response.status_code=OK} count=5",
            "hello.server.session.active = 0",
            "hello.server.session.duration{rpc.response.status_code=OK} count=2",
            "hello.server.session.receive_buffer.limit = 0",
            "hello.server.session.receive_buffer.usage = 0",
            "hello.server.session.received.messages = 20",
            "hello.server.session.sent.messages = 20");
    Waiting.until("the server's sessions end", () -> serverSide.helloFigures().equals(server));
    assertThat(clientSide.helloFigures()).containsExactlyElementsOf(client);
    assertThat(serverSide.helloFigures()).containsExactlyElementsOf(server);
  }

  @Test
  void grpcsOwnPerCallMetricsComeAlong() throws Exception {
    start(greetingAllButNobody());
    knownWorkload();
    Waiting.until(
        "the server has seen every call end",
        () -> histogramCount(serverSide.collect(), "grpc.server.call.duration", "Channel") == 2);

    Collection<MetricData> client = clientSide.collect();
    assertThat(sum(client, "grpc.client.attempt.started", "Hello")).isEqualTo(6);
    assertThat(sum(client, "grpc.client.attempt.started", "Channel")).isEqualTo(2);
    assertThat(histogramCount(client, "grpc.client.call.duration", "Hello")).isEqualTo(6);
    assertThat(histogramCount(client, "grpc.client.attempt.duration", "Channel")).isEqualTo(2);
    Collection<MetricData> server = serverSide.collect();
    assertThat(sum(server, "grpc.server.call.started", "Hello")).isEqualTo(6);
    assertThat(histogramCount(server, "grpc.server.call.duration", "Hello")).isEqualTo(6);
    assertThat(histogramCount(server, "grpc.server.call.duration", "Channel")).isEqualTo(2);
  }

  @Test
  void whileASessionIsOpenItsCountsAndBufferAreLive() throws Exception {
    start(HelloServer.builder());
    ChatSession chat = pair.client.openChat();
    for (int i = 0; i < 5; i++) {
      chat.send("m" + i);
    }
    // Nobody reads the client's replies yet: they wait in its receive buffer of 256.
    List<String> client =
        List.of(
            "hello.client.session.active = 1",
            "hello.client.session.receive_buffer.limit = 256",
            "hello.client.session.receive_buffer.usage = 5",
            "hello.client.session.received.messages = 5",
            "hello.client.session.sent.messages = 5");
    Waiting.until("the replies wait for the reader", () -> clientSide.helloFigures().equals(client));
    assertThat(serverSide.helloFigures())
        .containsExactly(
            "hello.server.session.active = 1",
            "hello.server.session.receive_buffer.limit = 256",
            "hello.server.session.receive_buffer.usage = 0",
            "hello.server.session.received.messages = 5",
            "hello.server.session.sent.messages = 5");

    chat.complete();
    for (int i = 0; i < 5; i++) {
      assertThat(chat.receive()).isEqualTo("hello:m" + i);
    }
    assertThat(chat.receive()).isNull();
    Waiting.until(
        "the client's figures show the session ended",
        () ->
            clientSide
                .helloFigures()
                .equals(
                    List.of(
                        "hello.client.session.active = 0",
                        "hello.client.session.duration{rpc.response.status_code=OK} count=1",
                        "hello.client.session.receive_buffer.limit = 0",
                        "hello.client.session.receive_buffer.usage = 0",
                        "hello.client.session.received.messages = 5",
                        "hello.client.session.sent.messages = 5")));
  }

  /**
   * OpenTelemetry keeps one figure per metric and attributes: two clients given the same instance
   * report their sum (each on its own, one of them would be dropped), and a client that has closed
   * stays in the totals, as in any counter.
   */
  @Test
  void clientsSharingAnOpenTelemetryReportTogetherAndAClosedOneStaysCounted() throws Exception {
    start(HelloServer.builder());
    ChatSession open = pair.client.openChat();
    open.send("a");
    open.send("b");
    assertThat(open.receive()).isEqualTo("hello:a");
    assertThat(open.receive()).isEqualTo("hello:b");
    try (HelloClient second =
        HelloClient.builder()
            .inProcess(pair.name)
            .openTelemetry(clientSide.openTelemetry())
            .build()) {
      try (ChatSession chat = second.openChat()) {
        for (int i = 0; i < 3; i++) {
          chat.send("m" + i);
        }
        chat.complete();
        for (int i = 0; i < 3; i++) {
          assertThat(chat.receive()).isEqualTo("hello:m" + i);
        }
        assertThat(chat.receive()).isNull();
      }
      assertThat(second.hello("you")).isEqualTo("hello:you");
    }

    assertThat(clientSide.helloFigures())
        .containsExactly(
            "hello.client.hello.duration{rpc.response.status_code=OK} count=1",
            "hello.client.session.active = 1",
            "hello.client.session.duration{rpc.response.status_code=OK} count=1",
            "hello.client.session.receive_buffer.limit = 256",
            "hello.client.session.receive_buffer.usage = 0",
            "hello.client.session.received.messages = 5",
            "hello.client.session.sent.messages = 5");
    open.cancel();
  }

  @Test
  void aSenderHeldByFlowControlIsTimedOncePerWait() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    start(
        HelloServer.builder()
            .receiveBufferSize(1) // room for one message: the second one waits
            .onChat(
                session -> {
                  reading.await();
                  for (String message : session.messages()) {
                    session.send("hello:" + message);
                  }
                }));
    ChatSession chat = pair.client.openChat();
    AtomicBoolean stop = new AtomicBoolean();
    Background<Long> sender =
        Background.start(
                "sender",
                () -> {
                  long sent = 0;
                  while (!stop.get()) {
                    chat.send("m" + sent++);
                  }
                  return sent;
                })
            .untilBlocked();
    assertThat(chat.sentCount()).isEqualTo(1);
    stop.set(true);
    reading.countDown();
    assertThat(sender.get()).isEqualTo(2);
    chat.complete();
    assertThat(chat.receive()).isEqualTo("hello:m0");
    assertThat(chat.receive()).isEqualTo("hello:m1");
    assertThat(chat.receive()).isNull();

    Collection<MetricData> metrics = clientSide.collect();
    HistogramPointData waits =
        metric(metrics, "hello.client.session.send.blocked_time")
            .getHistogramData()
            .getPoints()
            .iterator()
            .next();
    assertThat(waits.getCount()).isEqualTo(1);
    assertThat(waits.getSum()).isPositive();
    assertThat(metric(metrics, "hello.client.session.send.blocked_time").getUnit()).isEqualTo("s");
  }

  private static MetricData metric(Collection<MetricData> metrics, String name) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics));
  }

  private static final AttributeKey<String> GRPC_METHOD = AttributeKey.stringKey("grpc.method");

  private static long sum(Collection<MetricData> metrics, String name, String method) {
    return metric(metrics, name).getLongSumData().getPoints().stream()
        .filter(p -> ("hello.v1.HelloService/" + method).equals(p.getAttributes().get(GRPC_METHOD)))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  private static long histogramCount(Collection<MetricData> metrics, String name, String method) {
    return metrics.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .filter(p -> ("hello.v1.HelloService/" + method).equals(p.getAttributes().get(GRPC_METHOD)))
        .mapToLong(HistogramPointData::getCount)
        .sum();
  }
}
