package io.hellogrpc.api.internal.otel;

import io.grpc.Metadata;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.Observer;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.ReceiveBuffer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The library's own metrics and traces, through the application's OpenTelemetry.
 *
 * <p>Spans follow OpenTelemetry's semantic conventions for RPC (gRPC): one per {@code Hello} and
 * per session, named {@code hello.v1.HelloService/Hello} and {@code .../Channel}, kind CLIENT or
 * SERVER, with {@code rpc.system.name}, {@code rpc.method}, {@code rpc.response.status_code},
 * {@code error.type} when it failed, the peer's address, and for sessions the message counts. The
 * client's span context goes to the server in the call's headers (W3C {@code traceparent}, or the
 * application's own propagators), so both sides' spans are one trace.
 *
 * <p>Metrics are named {@code hello.client.*} and {@code hello.server.*} (see the README). Nothing
 * here runs per message: message counts and buffer fill are read from the sessions when the
 * metrics are collected, and the counts of ended sessions are kept as totals.
 *
 * <p>There is one observer per {@link OpenTelemetry} instance and side, shared by every server (or
 * client) given that instance: OpenTelemetry keeps one figure per metric and attributes, so two
 * clients reporting the same asynchronous counter each on its own would make it keep one of them
 * and drop the other. Shared, the figures are the sum over all of them, and the totals of a client
 * that has closed stay in them, as they would in a synchronous counter. Its callback lives as long
 * as the OpenTelemetry instance; closing a server or a client changes nothing here, since all its
 * sessions have ended by then.
 *
 * <p>Only code reached from a builder's {@code openTelemetry(...)} loads this class, and with it
 * OpenTelemetry's.
 */
public final class OpenTelemetryObserver implements Observer {
  /** The instrumentation scope of the library's spans and metrics. */
  public static final String SCOPE = "io.hellogrpc";

  static final AttributeKey<String> RPC_SYSTEM_NAME = AttributeKey.stringKey("rpc.system.name");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE =
      AttributeKey.stringKey("rpc.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<Long> CLIENT_PORT = AttributeKey.longKey("client.port");
  static final AttributeKey<Long> SENT_MESSAGES = AttributeKey.longKey("hello.session.sent.messages");
  static final AttributeKey<Long> RECEIVED_MESSAGES =
      AttributeKey.longKey("hello.session.received.messages");

  /** What a server reports as a failure (semantic conventions for gRPC server spans). */
  private static final Set<StatusCode> SERVER_ERRORS =
      EnumSet.of(
          StatusCode.UNKNOWN,
          StatusCode.DEADLINE_EXCEEDED,
          StatusCode.UNIMPLEMENTED,
          StatusCode.INTERNAL,
          StatusCode.UNAVAILABLE,
          StatusCode.DATA_LOSS);

  /** Hello latency: from 100 µs, where a call on loopback is, to 10 s, the default deadline. */
  private static final List<Double> LATENCY_BUCKETS =
      List.of(
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
          2.5, 5.0, 10.0);
  /** Sessions last from milliseconds to hours. */
  private static final List<Double> SESSION_BUCKETS =
      List.of(0.01, 0.1, 1.0, 10.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 14400.0, 86400.0);
  /** A sender waits for a round trip or two, or as long as a slow reader makes it. */
  private static final List<Double> BLOCKED_BUCKETS =
      List.of(0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 60.0);

  /** Replaces a header of the same name the application set: the span just started is the truth. */
  private static final TextMapSetter<Metadata> SETTER =
      (headers, key, value) -> {
        Metadata.Key<String> name = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
        headers.removeAll(name);
        headers.put(name, value);
      };
  private static final TextMapGetter<Metadata> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata headers) {
          return headers.keys();
        }

        @Override
        public String get(Metadata headers, String key) {
          return headers == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)
              ? null
              : headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
      };

  /**
   * The observers of each OpenTelemetry instance in use, server's then client's. Weak: an instance
   * the application dropped takes its observers with it (they do not refer to it).
   */
  private static final Map<OpenTelemetry, OpenTelemetryObserver[]> SHARED = new WeakHashMap<>();

  private final boolean client;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final DoubleHistogram helloDuration;
  private final DoubleHistogram sessionDuration;
  private final DoubleHistogram blockedTime;
  private final Attributes[] byStatus = new Attributes[StatusCode.values().length];

  private final Set<CallProbe> openSessions = ConcurrentHashMap.newKeySet();
  private long sentByEnded; // guarded by openSessions
  private long receivedByEnded; // guarded by openSessions

  private OpenTelemetryObserver(OpenTelemetry openTelemetry, boolean client) {
    this.client = client;
    this.tracer = openTelemetry.getTracer(SCOPE);
    TextMapPropagator configured = openTelemetry.getPropagators().getTextMapPropagator();
    // An SDK built without propagators has a no-op one: then W3C trace context, so that a client
    // and a server configured alike still share a trace.
    this.propagator =
        configured.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : configured;
    for (StatusCode code : StatusCode.values()) {
      byStatus[code.ordinal()] = Attributes.of(RPC_RESPONSE_STATUS_CODE, code.name());
    }

    String side = client ? "hello.client." : "hello.server.";
    Meter meter = openTelemetry.getMeter(SCOPE);
    this.helloDuration =
        meter
            .histogramBuilder(side + "hello.duration")
            .setUnit("s")
            .setDescription(
                client
                    ? "Duration of Hello calls, from start to end, by status"
                    : "Duration of Hello calls, from arrival to end, by status")
            .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS)
            .build();
    this.sessionDuration =
        meter
            .histogramBuilder(side + "session.duration")
            .setUnit("s")
            .setDescription("Duration of Channel sessions, by how they ended")
            .setExplicitBucketBoundariesAdvice(SESSION_BUCKETS)
            .build();
    this.blockedTime =
        meter
            .histogramBuilder(side + "session.send.blocked_time")
            .setUnit("s")
            .setDescription(
                "Time a sender waited for HTTP/2 flow control before its message went out, per"
                    + " wait")
            .setExplicitBucketBoundariesAdvice(BLOCKED_BUCKETS)
            .build();
    ObservableLongMeasurement active =
        meter
            .upDownCounterBuilder(side + "session.active")
            .setUnit("{session}")
            .setDescription("Channel sessions open now")
            .buildObserver();
    ObservableLongMeasurement sent =
        meter
            .counterBuilder(side + "session.sent.messages")
            .setUnit("{message}")
            .setDescription("Messages sessions sent (handed to the transport)")
            .buildObserver();
    ObservableLongMeasurement received =
        meter
            .counterBuilder(side + "session.received.messages")
            .setUnit("{message}")
            .setDescription("Messages sessions received from their peers")
            .buildObserver();
    ObservableLongMeasurement bufferUsage =
        meter
            .upDownCounterBuilder(side + "session.receive_buffer.usage")
            .setUnit("{message}")
            .setDescription("Messages waiting in open sessions' receive buffers")
            .buildObserver();
    ObservableLongMeasurement bufferLimit =
        meter
            .upDownCounterBuilder(side + "session.receive_buffer.limit")
            .setUnit("{message}")
            .setDescription("What open sessions' receive buffers hold at most, together")
            .buildObserver();
    // Registered for the life of the OpenTelemetry instance: never closed (see the class comment).
    meter.batchCallback(
        () -> observe(active, sent, received, bufferUsage, bufferLimit),
        active,
        sent,
        received,
        bufferUsage,
        bufferLimit);
  }

  /**
   * The observer of a server or a client.
   *
   * @param openTelemetry an {@link OpenTelemetry}, passed as an Object so that callers need not
   *     name the type
   */
  public static Observer create(Object openTelemetry, boolean client) {
    OpenTelemetry instance = (OpenTelemetry) openTelemetry;
    synchronized (SHARED) {
      OpenTelemetryObserver[] sides =
          SHARED.computeIfAbsent(instance, key -> new OpenTelemetryObserver[2]);
      int side = client ? 1 : 0;
      if (sides[side] == null) {
        sides[side] = new OpenTelemetryObserver(instance, client);
      }
      return sides[side];
    }
  }

  private void observe(
      ObservableLongMeasurement active,
      ObservableLongMeasurement sent,
      ObservableLongMeasurement received,
      ObservableLongMeasurement bufferUsage,
      ObservableLongMeasurement bufferLimit) {
    long sessions = 0;
    long sentSum;
    long receivedSum;
    long usage = 0;
    long limit = 0;
    synchronized (openSessions) {
      sentSum = sentByEnded;
      receivedSum = receivedByEnded;
      for (CallProbe probe : openSessions) {
        sessions++;
        sentSum += probe.sent.getAsLong();
        receivedSum += probe.received.getAsLong();
        ReceiveBuffer buffer = probe.buffer;
        if (buffer != null) {
          usage += buffer.size();
          limit += buffer.capacity();
        }
      }
    }
    active.record(sessions);
    sent.record(sentSum);
    received.record(receivedSum);
    bufferUsage.record(usage);
    bufferLimit.record(limit);
  }

  @Override
  public Probe start(Kind kind, Metadata headers, String peerHost, int peerPort) {
    String method = HelloMethods.SERVICE_NAME + "/" + kind.method;
    Context parent =
        client ? Context.current() : propagator.extract(Context.current(), headers, GETTER);
    SpanBuilder span =
        tracer
            .spanBuilder(method)
            .setParent(parent)
            .setSpanKind(client ? SpanKind.CLIENT : SpanKind.SERVER)
            .setAttribute(RPC_SYSTEM_NAME, "grpc")
            .setAttribute(RPC_METHOD, method);
    if (peerHost != null) {
      span.setAttribute(client ? SERVER_ADDRESS : CLIENT_ADDRESS, peerHost);
      if (peerPort >= 0) {
        span.setAttribute(client ? SERVER_PORT : CLIENT_PORT, (long) peerPort);
      }
    }
    CallProbe probe = new CallProbe(kind, span.startSpan(), parent, System.nanoTime());
    if (client) {
      propagator.inject(probe.context, headers, SETTER);
    }
    if (kind == Kind.SESSION) {
      openSessions.add(probe);
    }
    return probe;
  }

  private boolean isError(StatusCode code) {
    return client ? code != StatusCode.OK : SERVER_ERRORS.contains(code);
  }

  /** One call: its span, and what its metrics are read from. */
  private final class CallProbe implements Probe {
    private final Kind kind;
    private final Span span;
    final Context context;
    private final long start;
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile LongSupplier sent = () -> 0;
    volatile LongSupplier received = () -> 0;
    volatile ReceiveBuffer buffer;

    CallProbe(Kind kind, Span span, Context parent, long start) {
      this.kind = kind;
      this.span = span;
      this.context = parent.with(span);
      this.start = start;
    }

    @Override
    public void counts(LongSupplier sent, LongSupplier received) {
      this.sent = sent;
      this.received = received;
    }

    @Override
    public void buffer(ReceiveBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public Runnable wrap(Runnable task) {
      return context.wrap(task);
    }

    @Override
    public void failed(Throwable failure) {
      span.recordException(failure);
    }

    @Override
    public void senderBlocked() {}

    @Override
    public void senderResumed(long blockedNanos) {
      blockedTime.record(blockedNanos / 1e9);
    }

    @Override
    public void ended(StatusCode code, String description) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long sentCount = 0;
      long receivedCount = 0;
      if (kind == Kind.SESSION) {
        synchronized (openSessions) {
          sentCount = sent.getAsLong();
          receivedCount = received.getAsLong();
          if (openSessions.remove(this)) {
            sentByEnded += sentCount;
            receivedByEnded += receivedCount;
          }
        }
        sessionDuration.record(seconds, byStatus[code.ordinal()]);
      } else {
        helloDuration.record(seconds, byStatus[code.ordinal()]);
      }
      if (span.isRecording()) {
        AttributesBuilder attributes =
            Attributes.builder().put(RPC_RESPONSE_STATUS_CODE, code.name());
        if (kind == Kind.SESSION) {
          attributes.put(SENT_MESSAGES, sentCount).put(RECEIVED_MESSAGES, receivedCount);
        }
        if (isError(code)) {
          attributes.put(ERROR_TYPE, code.name());
          span.setStatus(
              io.opentelemetry.api.trace.StatusCode.ERROR,
              description == null || description.isEmpty() ? code.name() : description);
        }
        span.setAllAttributes(attributes.build());
      }
      span.end();
    }
  }
}
