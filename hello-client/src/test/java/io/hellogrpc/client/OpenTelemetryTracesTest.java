package io.hellogrpc.client;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.satisfies;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces: one span per Hello and per session on each side, the server's the child of the client's
 * across the wire (W3C traceparent), each saying how its call ended. Client and server each have
 * their own OpenTelemetry, as two processes would, over Netty on 127.0.0.1.
 */
@Timeout(60)
class OpenTelemetryTracesTest {
  private static final String HELLO = "hello.v1.HelloService/Hello";
  private static final String CHANNEL = "hello.v1.HelloService/Channel";

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final TestTelemetry clientSide = new TestTelemetry();
  private final TestTelemetry serverSide = new TestTelemetry();
  private final List<SpanContext> handlerContexts = new CopyOnWriteArrayList<>();
  private HelloServer server;
  private HelloClient client;

  private void start(HelloServer.Builder builder) throws Exception {
    server = builder.host("127.0.0.1").port(0).openTelemetry(serverSide.openTelemetry()).start();
    client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .openTelemetry(clientSide.openTelemetry())
            .build();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    clientSide.close();
    serverSide.close();
  }

  /** The span of the application's code that makes the calls, in the client's trace. */
  private Span applicationSpan() {
    return clientSide.sdk.getTracer("test").spanBuilder("application").startSpan();
  }

  @Test
  @SuppressWarnings("try") // a Scope is only opened and closed
  void aHelloIsAClientSpanUnderTheCallersSpanAndAServerSpanUnderIt() throws Exception {
    start(
        HelloServer.builder()
            .onHello(
                name -> {
                  handlerContexts.add(Span.current().getSpanContext());
                  return "hello:" + name;
                }));
    Span application = applicationSpan();
    try (Scope ignored = application.makeCurrent()) {
      Assertions.assertThat(client.hello("you")).isEqualTo("hello:you");
    } finally {
      application.end();
    }
    Waiting.until("the server's span ends", () -> serverSide.spans().size() == 1);

    SpanData clientHello = clientSide.span(HELLO);
    SpanData serverHello = serverSide.span(HELLO);
    assertThat(clientHello)
        .hasKind(SpanKind.CLIENT)
        .hasParent(clientSide.span("application"))
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfyingExactly(
            equalTo(stringKey("rpc.system.name"), "grpc"),
            equalTo(stringKey("rpc.method"), HELLO),
            equalTo(stringKey("rpc.response.status_code"), "OK"),
            equalTo(stringKey("server.address"), "127.0.0.1"),
            equalTo(longKey("server.port"), (long) server.port()));
    assertThat(serverHello)
        .hasKind(SpanKind.SERVER)
        .hasTraceId(application.getSpanContext().getTraceId())
        .hasParentSpanId(clientHello.getSpanId())
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfyingExactly(
            equalTo(stringKey("rpc.system.name"), "grpc"),
            equalTo(stringKey("rpc.method"), HELLO),
            equalTo(stringKey("rpc.response.status_code"), "OK"),
            equalTo(stringKey("client.address"), "127.0.0.1"),
            satisfies(longKey("client.port"), port -> port.isPositive()));
    Assertions.assertThat(serverHello.getParentSpanContext().isRemote()).isTrue();
    Assertions.assertThat(handlerContexts)
        .as("the handler runs in the server's span")
        .containsExactly(serverHello.getSpanContext());
  }

  @Test
  @SuppressWarnings("try") // a Scope is only opened and closed
  void aSessionIsOneSpanPerSideWithItsCountsAndNoSpanPerMessage() throws Exception {
    start(
        HelloServer.builder()
            .onChannel(
                message -> {
                  handlerContexts.add(Span.current().getSpanContext());
                  return "hello:" + message;
                }));
    Span application = applicationSpan();
    try (Scope ignored = application.makeCurrent();
        ChatSession chat = client.openChat()) {
      for (int i = 0; i < 3; i++) {
        chat.send("m" + i);
      }
      for (int i = 0; i < 3; i++) {
        Assertions.assertThat(chat.receive()).isEqualTo("hello:m" + i);
      }
      chat.complete();
      Assertions.assertThat(chat.receive()).isNull();
    } finally {
      application.end();
    }
    Waiting.until("the client's session span ends", () -> clientSide.spans().size() == 2);
    Waiting.until("the server's session span ends", () -> serverSide.spans().size() == 1);

    SpanData clientSession = clientSide.span(CHANNEL);
    assertThat(clientSession)
        .hasKind(SpanKind.CLIENT)
        .hasParent(clientSide.span("application"))
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfyingExactly(
            equalTo(stringKey("rpc.system.name"), "grpc"),
            equalTo(stringKey("rpc.method"), CHANNEL),
            equalTo(stringKey("rpc.response.status_code"), "OK"),
            equalTo(stringKey("server.address"), "127.0.0.1"),
            equalTo(longKey("server.port"), (long) server.port()),
            equalTo(longKey("hello.session.sent.messages"), 3L),
            equalTo(longKey("hello.session.received.messages"), 3L));
    SpanData serverSession = serverSide.span(CHANNEL);
    assertThat(serverSession)
        .hasKind(SpanKind.SERVER)
        .hasTraceId(application.getSpanContext().getTraceId())
        .hasParentSpanId(clientSession.getSpanId())
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfyingExactly(
            equalTo(stringKey("rpc.system.name"), "grpc"),
            equalTo(stringKey("rpc.method"), CHANNEL),
            equalTo(stringKey("rpc.response.status_code"), "OK"),
            equalTo(stringKey("client.address"), "127.0.0.1"),
            satisfies(longKey("client.port"), port -> port.isPositive()),
            equalTo(longKey("hello.session.sent.messages"), 3L),
            equalTo(longKey("hello.session.received.messages"), 3L));
    Assertions.assertThat(handlerContexts)
        .as("each reply is computed in the server's session span")
        .containsExactly(
            serverSession.getSpanContext(),
            serverSession.getSpanContext(),
            serverSession.getSpanContext());
  }

  @Test
  void aFailingHandlerIsAnErrorOnBothSidesWithItsExceptionOnTheServersSpanAndOneWarning()
      throws Exception {
    start(
        HelloServer.builder()
            .requireToken(token -> "alice")
            .onHello(
                name -> {
                  throw new IllegalStateException("no greeting for " + name);
                }));
    client.close();
    client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .token("s3cret")
            .allowTokenOverPlaintext()
            .openTelemetry(clientSide.openTelemetry())
            .build();

    assertThatThrownBy(() -> client.hello("boom"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> Assertions.assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN));
    Waiting.until("the server's span ends", () -> serverSide.spans().size() == 1);

    String description =
        "the Hello handler failed with IllegalStateException; the server logged the details";
    assertThat(clientSide.span(HELLO))
        .hasStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, description))
        .hasAttributesSatisfying(
            equalTo(stringKey("rpc.response.status_code"), "UNKNOWN"),
            equalTo(stringKey("error.type"), "UNKNOWN"));
    SpanData serverHello = serverSide.span(HELLO);
    assertThat(serverHello)
        .hasStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, description))
        .hasAttributesSatisfying(
            equalTo(stringKey("rpc.response.status_code"), "UNKNOWN"),
            equalTo(stringKey("error.type"), "UNKNOWN"))
        .hasEventsSatisfyingExactly(
            event ->
                event
                    .hasName("exception")
                    .hasAttributesSatisfying(
                        equalTo(
                            stringKey("exception.type"), "java.lang.IllegalStateException"),
                        equalTo(stringKey("exception.message"), "no greeting for boom")));
    Assertions.assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .matches(
            "WARNING io\\.hellogrpc\\.server: Hello handler threw; the call fails with UNKNOWN"
                + " \\(method hello\\.v1\\.HelloService/Hello, peer 127\\.0\\.0\\.1:\\d+,"
                + " principal alice\\) \\[java\\.lang\\.IllegalStateException: no greeting for"
                + " boom\\]");
  }

  @Test
  void aCancelledSessionIsAnErrorForTheClientButNotForTheServer() throws Exception {
    start(HelloServer.builder());
    try (ChatSession chat = client.openChat()) {
      chat.send("a");
      Assertions.assertThat(chat.receive()).isEqualTo("hello:a");
      chat.cancel();
    }
    Waiting.until("the client's span ends", () -> clientSide.spans().size() == 1);
    Waiting.until("the server's span ends", () -> serverSide.spans().size() == 1);

    assertThat(clientSide.span(CHANNEL))
        .hasStatus(
            StatusData.create(
                io.opentelemetry.api.trace.StatusCode.ERROR, "cancelled by the client"))
        .hasAttributesSatisfying(
            equalTo(stringKey("rpc.response.status_code"), "CANCELLED"),
            equalTo(stringKey("error.type"), "CANCELLED"),
            equalTo(longKey("hello.session.sent.messages"), 1L),
            equalTo(longKey("hello.session.received.messages"), 1L));
    SpanData serverSession = serverSide.span(CHANNEL);
    assertThat(serverSession)
        .hasParentSpanId(clientSide.span(CHANNEL).getSpanId())
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfying(
            equalTo(stringKey("rpc.response.status_code"), "CANCELLED"),
            equalTo(longKey("hello.session.sent.messages"), 1L),
            equalTo(longKey("hello.session.received.messages"), 1L));
    Assertions.assertThat(serverSession.getAttributes().get(stringKey("error.type"))).isNull();
  }

  /**
   * A traceparent the application set as a header gives way to the client's span: the server gets
   * one, the span's (a plain grpc server shows the headers as they arrive).
   */
  @Test
  void theClientsSpanReplacesATraceparentHeaderTheApplicationSet() throws Exception {
    Metadata.Key<String> traceparent =
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    List<List<String>> received = new CopyOnWriteArrayList<>();
    ServerInterceptor recording =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            List<String> values = new ArrayList<>();
            headers.getAll(traceparent).forEach(values::add);
            received.add(values);
            return next.startCall(call, headers);
          }
        };
    HelloServiceGrpc.HelloServiceImplBase greeting =
        new HelloServiceGrpc.HelloServiceImplBase() {
          @Override
          public void hello(
              io.hellogrpc.api.proto.String request,
              StreamObserver<io.hellogrpc.api.proto.String> reply) {
            reply.onNext(
                io.hellogrpc.api.proto.String.newBuilder()
                    .setValue("hello:" + request.getValue())
                    .build());
            reply.onCompleted();
          }
        };
    String name = "raw-" + UUID.randomUUID();
    Server raw =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(greeting, recording))
            .build()
            .start();
    try (HelloClient observed =
        HelloClient.builder()
            .inProcess(name)
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .openTelemetry(clientSide.openTelemetry())
            .build()) {
      Assertions.assertThat(observed.hello("you")).isEqualTo("hello:you");
    } finally {
      raw.shutdownNow();
    }

    SpanData hello = clientSide.span(HELLO);
    Assertions.assertThat(received)
        .containsExactly(
            List.of(
                "00-" + hello.getTraceId() + "-" + hello.getSpanId() + "-"
                    + hello.getSpanContext().getTraceFlags().asHex()));
  }

  @Test
  void withoutAnApplicationSpanTheClientsSpanStartsTheTrace() throws Exception {
    start(HelloServer.builder());
    client.hello("you");
    Waiting.until("the server's span ends", () -> serverSide.spans().size() == 1);

    SpanData clientHello = clientSide.span(HELLO);
    Assertions.assertThat(clientHello.getParentSpanContext().isValid()).isFalse();
    assertThat(serverSide.span(HELLO))
        .hasTraceId(clientHello.getTraceId())
        .hasParentSpanId(clientHello.getSpanId());
  }
}
