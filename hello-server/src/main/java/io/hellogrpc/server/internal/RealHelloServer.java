package io.hellogrpc.server.internal;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.hellogrpc.api.internal.CertificateWatch;
import io.hellogrpc.api.internal.Durations;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

public final class RealHelloServer implements HelloServer {
  /** After the grace period, how long ended sessions get to flush their last status. */
  private static final Duration FINAL_FLUSH = Duration.ofSeconds(2);

  private final Server server;
  private final ServerConfig config;
  private final SessionRegistry sessions;
  private final HealthStatusManager health;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ExecutorService ownedExecutor; // null when the application gave one
  private final NettyConnections connections; // null in-process
  private final AtomicBoolean transportReleased = new AtomicBoolean();
  private final CertificateWatch certificateWatch; // null unless certificates are reloaded

  private RealHelloServer(
      Server server,
      ServerConfig config,
      SessionRegistry sessions,
      HealthStatusManager health,
      ExecutorService ownedExecutor,
      NettyConnections connections,
      CertificateWatch certificateWatch) {
    this.server = server;
    this.config = config;
    this.sessions = sessions;
    this.health = health;
    this.ownedExecutor = ownedExecutor;
    this.connections = connections;
    this.certificateWatch = certificateWatch;
  }

  public static HelloServer start(ServerConfig config) throws IOException {
    return start(null, config);
  }

  /** @param observers the listener and OpenTelemetry, or null for neither */
  public static HelloServer start(ServerObservers observers, ServerConfig config)
      throws IOException {
    // Bad TLS material fails here, before any thread starts.
    ServerTls tls = config.inProcessName() == null ? ServerTls.of(config.tls()) : null;
    NettyServerBuilder netty = tls == null ? null : nettyFor(config, tls.credentials());
    NettyConnections connections =
        netty == null
            ? null
            : new NettyConnections(
                ConnectionLimits.maxConnections(config.limits()),
                config.limits().maxConnectionsPerAddress());
    ServerBuilder<?> transport =
        netty == null
            ? InProcessServerBuilder.forName(config.inProcessName())
            : ConnectionLimits.applyTo(connections.applyTo(netty), config.limits());
    if (connections != null && config.limits().maxRstFrames() > 0) {
      transport.intercept(
          new UnansweredResets(
              connections, config.limits().maxRstFrames(), config.limits().rstWindow()));
    }
    MemoryBudget budget = new MemoryBudget(connections, config.limits().maxBufferedBytes());
    if (connections != null) {
      transport.addStreamTracerFactory(new MessageBytes(budget, connections));
      transport.intercept(new RequestTimeout(connections, config.limits().requestTimeout()));
    }
    ExecutorService owned =
        config.executor() == null ? HandlerPool.create("hello-server") : null;
    Executor executor = owned != null ? owned : config.executor();
    SessionRegistry sessions = new SessionRegistry();
    ServerCallHandler<byte[], String> channel =
        config.onChat() != null
            ? RealServerSession.handler(
                config.onChat(),
                executor,
                config.receiveBufferSize(),
                config.maxMessageSize(),
                sessions,
                budget)
            : DefaultHandlers.runsInPlace(config.onChannel(), config.executor() != null)
                ? InPlaceSession.handler(
                    config.onChannel(),
                    config.receiveBufferSize(),
                    config.maxMessageSize(),
                    sessions,
                    budget)
                : ReplyingSession.handler(
                    config.onChannel(),
                    executor,
                    config.receiveBufferSize(),
                    config.maxMessageSize(),
                    sessions,
                    budget);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(HelloMethods.SERVER_SERVICE)
            .addMethod(
                HelloMethods.SERVER_HELLO,
                HelloCall.handler(
                    config.onHello(),
                    DefaultHandlers.executorFor(config.onHello(), executor, config.executor() != null),
                    config.maxMessageSize(),
                    budget))
            .addMethod(HelloMethods.SERVER_CHANNEL, channel)
            .build();
    service =
        ServerInterceptors.intercept(
            service, new CallerCheck(config.authenticator(), config.certificatePrincipal()));
    if (observers != null) {
      service = observers.intercept(service); // outermost: refused calls are observed too
      observers.configure(transport);
    }
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(HelloMethods.SERVICE_NAME, ServingStatus.SERVING);
    Server server =
        transport
            // Transport callbacks only queue work and never block; handlers run on the executor.
            // Health and reflection answer from memory, so they may run on the transport thread.
            .directExecutor()
            .addService(service)
            .addService(health.getHealthService())
            .addServices(reflectionServices(config))
            .maxInboundMessageSize(config.maxMessageSize())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      if (owned != null) {
        owned.shutdown();
      }
      if (connections != null) {
        connections.shutdown();
      }
      throw BindFailures.describe(where(config), e);
    }
    CertificateWatch certificateWatch = tls == null ? null : tls.startWatch();
    return new RealHelloServer(
        server, config, sessions, health, owned, connections, certificateWatch);
  }

  private static NettyServerBuilder nettyFor(ServerConfig config, ServerCredentials credentials) {
    NettyServerBuilder netty;
    try {
      netty =
          config.host() == null
              ? NettyServerBuilder.forPort(config.port(), credentials)
              : NettyServerBuilder.forAddress(
                  new InetSocketAddress(config.host(), config.port()), credentials);
    } catch (IllegalArgumentException e) { // grpc's word for TLS material it cannot use
      throw new IllegalStateException(
          "tls(certificateChain, privateKey) or requireClientCertificates(...) is not usable: "
              + e.getMessage(),
          e);
    }
    return netty;
  }

  @SuppressWarnings("deprecation") // v1alpha: still what many grpcurl and buf versions ask first
  private static List<ServerServiceDefinition> reflectionServices(ServerConfig config) {
    if (!config.reflection()) {
      return List.of();
    }
    return List.of(
        ProtoReflectionServiceV1.newInstance().bindService(),
        ProtoReflectionService.newInstance().bindService());
  }

  private static String where(ServerConfig config) {
    if (config.inProcessName() != null) {
      return "in-process name '" + config.inProcessName() + "'";
    }
    return (config.host() == null ? "*" : config.host()) + ":" + config.port();
  }

  @Override
  public int port() {
    if (config.inProcessName() != null) {
      throw new IllegalStateException(
          "an in-process server has no port: it is reached as inProcess(\""
              + config.inProcessName() + "\")");
    }
    return server.getPort();
  }

  @Override
  public int activeSessions() {
    return sessions.size();
  }

  @Override
  public void shutdown() {
    if (draining.compareAndSet(false, true)) {
      health.enterTerminalState(); // NOT_SERVING for good, so load balancers look elsewhere
      if (certificateWatch != null) {
        certificateWatch.close(); // no new connection will need a certificate
      }
    }
    server.shutdown();
  }

  @Override
  public void shutdownNow() {
    shutdown();
    sessions.endAll(SessionRegistry.SHUTTING_DOWN);
    server.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow(); // interrupts handlers still running
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    boolean terminated =
        server.awaitTermination(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    if (terminated) {
      releaseTransport();
    }
    return terminated;
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
    releaseTransport();
  }

  /** Once grpc has let go of every connection, the event loops have nothing left to do. */
  private void releaseTransport() {
    if (connections != null && transportReleased.compareAndSet(false, true)) {
      connections.shutdown();
    }
  }

  @Override
  public boolean isShutdown() {
    return server.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return server.isTerminated();
  }

  @Override
  public void close() {
    shutdown();
    try {
      if (!awaitTermination(config.shutdownGracePeriod())) {
        // Tell the sessions still open why they end, and give that status time to reach them.
        sessions.endAll(SessionRegistry.SHUTTING_DOWN);
        if (!awaitTermination(FINAL_FLUSH)) {
          server.shutdownNow();
          awaitTermination(FINAL_FLUSH);
        }
      }
      stopOwnedExecutor();
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      releaseTransport(); // whatever is still open after all this is cut
    }
  }

  /**
   * Every session has ended by now, so handlers should be returning; one that ignores its
   * session's end is interrupted rather than left running after close().
   */
  private void stopOwnedExecutor() throws InterruptedException {
    if (ownedExecutor == null) {
      return;
    }
    ownedExecutor.shutdown();
    if (!ownedExecutor.awaitTermination(FINAL_FLUSH.toNanos(), TimeUnit.NANOSECONDS)) {
      ownedExecutor.shutdownNow();
      ownedExecutor.awaitTermination(FINAL_FLUSH.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

}
