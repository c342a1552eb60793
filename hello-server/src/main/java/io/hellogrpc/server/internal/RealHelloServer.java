package io.hellogrpc.server.internal;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hellogrpc.api.internal.DaemonThreads;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

public final class RealHelloServer implements HelloServer {
  /** After the grace period, how long ended sessions get to flush their last status. */
  private static final Duration FINAL_FLUSH = Duration.ofSeconds(2);

  private final Server server;
  private final ServerConfig config;
  private final SessionRegistry sessions;
  private final ExecutorService ownedExecutor; // null when the application gave one

  private RealHelloServer(
      Server server, ServerConfig config, SessionRegistry sessions, ExecutorService ownedExecutor) {
    this.server = server;
    this.config = config;
    this.sessions = sessions;
    this.ownedExecutor = ownedExecutor;
  }

  public static HelloServer start(ServerConfig config) throws IOException {
    ExecutorService owned =
        config.executor() == null ? DaemonThreads.cachedPool("hello-server") : null;
    Executor executor = owned != null ? owned : config.executor();
    SessionRegistry sessions = new SessionRegistry();
    ServerCallHandler<String, String> channel =
        config.onChat() != null
            ? RealServerSession.handler(
                config.onChat(),
                executor,
                config.receiveBufferSize(),
                config.maxMessageSize(),
                sessions)
            : ReplyingSession.handler(
                config.onChannel(), executor, config.receiveBufferSize(), sessions);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(HelloMethods.SERVICE)
            .addMethod(HelloMethods.HELLO, HelloCall.handler(config.onHello(), executor))
            .addMethod(HelloMethods.CHANNEL, channel)
            .build();
    Server server =
        transportFor(config)
            // Transport callbacks only queue work and never block; handlers run on the executor.
            .directExecutor()
            .addService(service)
            .maxInboundMessageSize(config.maxMessageSize())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      if (owned != null) {
        owned.shutdown();
      }
      throw new IOException("could not listen on " + where(config) + ": " + e.getMessage(), e);
    }
    return new RealHelloServer(server, config, sessions, owned);
  }

  private static ServerBuilder<?> transportFor(ServerConfig config) {
    if (config.inProcessName() != null) {
      return InProcessServerBuilder.forName(config.inProcessName());
    }
    return config.host() == null
        ? NettyServerBuilder.forPort(config.port())
        : NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()));
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
    server.shutdown();
  }

  @Override
  public void shutdownNow() {
    server.shutdown();
    sessions.endAll(SessionRegistry.SHUTTING_DOWN);
    server.shutdownNow();
    releaseExecutor(true);
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return server.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
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
    server.shutdown();
    try {
      if (!awaitTermination(config.shutdownGracePeriod())) {
        // Tell the sessions still open why they end, and give that status time to reach them.
        sessions.endAll(SessionRegistry.SHUTTING_DOWN);
        if (!awaitTermination(FINAL_FLUSH)) {
          server.shutdownNow();
          awaitTermination(FINAL_FLUSH);
        }
      }
      releaseExecutor(false);
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void releaseExecutor(boolean now) {
    if (ownedExecutor == null) {
      return;
    }
    if (now) {
      ownedExecutor.shutdownNow();
    } else {
      ownedExecutor.shutdown();
    }
  }
}
