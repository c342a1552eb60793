package io.hellogrpc.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.ListenerObserver;
import io.hellogrpc.api.internal.Observer;
import io.hellogrpc.api.internal.Observers;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.api.internal.otel.OpenTelemetryObserver;
import io.hellogrpc.client.internal.otel.GrpcMetrics;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.logging.Logger;

/**
 * What watches a client: the application's {@link HelloEventListener}, OpenTelemetry, or both.
 * Sessions report to it themselves; {@code Hello}s through {@link #helloInterceptor()}, on every
 * channel, where a retried {@code Hello} is still one call.
 *
 * <p>OpenTelemetry is held as an {@code Object}: this class, and every class the client loads
 * without OpenTelemetry, only name OpenTelemetry's types in code that runs once the application
 * gave one, so a host application without OpenTelemetry on its class path never loads any.
 */
public final class ClientObservers {
  private final Observer observer;
  private final Object grpcMetrics; // a GrpcOpenTelemetry, or null without OpenTelemetry
  private final String peerHost; // the server's host, null when there are several or none
  private final int peerPort;

  private ClientObservers(Observer observer, Object grpcMetrics, HostPort peer) {
    this.observer = observer;
    this.grpcMetrics = grpcMetrics;
    this.peerHost = peer == null ? null : peer.host();
    this.peerPort = peer == null ? -1 : peer.port();
  }

  /**
   * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry}, or null
   * @return null when there is nothing to tell: then the client runs exactly as without
   */
  public static ClientObservers of(
      HelloEventListener listener, Object openTelemetry, String target, List<String> addresses) {
    if (listener == null && openTelemetry == null) {
      return null;
    }
    Observer observer =
        Observers.both(
            openTelemetry == null ? null : OpenTelemetryObserver.create(openTelemetry, true),
            listener == null
                ? null
                : new ListenerObserver(listener, Logger.getLogger("io.hellogrpc.client")));
    return new ClientObservers(
        observer,
        openTelemetry == null ? null : GrpcMetrics.create(openTelemetry),
        peer(target, addresses));
  }

  /** The server a client talks to, as its builder named it, if it named exactly one. */
  private static HostPort peer(String target, List<String> addresses) {
    String hostPort = null;
    if (addresses != null && addresses.size() == 1) {
      hostPort = addresses.get(0);
    } else if (target != null) {
      hostPort = target;
      try {
        URI uri = new URI(target);
        if (uri.getScheme() != null && uri.getPath() != null && uri.getPath().startsWith("/")) {
          hostPort = uri.getPath().substring(1); // dns:///host:port
        }
      } catch (URISyntaxException e) {
        // host:port, as is
      }
    }
    if (hostPort == null) {
      return null;
    }
    try {
      HostPort parsed = HostPort.parse(hostPort);
      String host = parsed.host();
      return host.startsWith("[") && host.endsWith("]")
          ? new HostPort(host.substring(1, host.length() - 1), parsed.port())
          : parsed;
    } catch (IllegalArgumentException e) {
      return null; // a name without a port, where grpc's default applies
    }
  }

  /** grpc's own per-call metrics (gRFC A66), with OpenTelemetry, on each of the client's channels. */
  void configure(ManagedChannelBuilder<?> channel) {
    if (grpcMetrics != null) {
      GrpcMetrics.configure(grpcMetrics, channel);
    }
  }

  /** A session about to start, with the headers it will send. */
  Probe startSession(Metadata headers) {
    return observer.start(Observer.Kind.SESSION, headers, peerHost, peerPort);
  }

  /** Reports every {@code Hello} made on a channel. */
  ClientInterceptor helloInterceptor() {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        ClientCall<ReqT, RespT> call = next.newCall(method, options);
        if (!method.getFullMethodName().equals(HelloMethods.HELLO.getFullMethodName())) {
          return call;
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            Probe probe = observer.start(Observer.Kind.HELLO, headers, peerHost, peerPort);
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    probe.ended(Statuses.code(status), Statuses.describe(status));
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }
}
