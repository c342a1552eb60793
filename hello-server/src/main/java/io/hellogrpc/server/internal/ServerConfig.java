package io.hellogrpc.server.internal;

import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.server.CertificatePrincipal;
import io.hellogrpc.server.ChannelHandler;
import io.hellogrpc.server.ChatHandler;
import io.hellogrpc.server.HelloHandler;
import io.hellogrpc.server.TokenAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What a HelloServer.Builder collected, validated. Exactly one of port and inProcessName is set,
 * and exactly one of onChannel and onChat; other nullable fields mean "not set".
 * {@code certificatePrincipal} is set exactly when client certificates are required.
 */
public record ServerConfig(
    Integer port,
    String host,
    String inProcessName,
    HelloHandler onHello,
    ChannelHandler onChannel,
    ChatHandler onChat,
    Executor executor,
    int receiveBufferSize,
    int maxMessageSize,
    Duration shutdownGracePeriod,
    Tls tls,
    TokenAuthenticator authenticator,
    CertificatePrincipal certificatePrincipal,
    boolean reflection,
    Limits limits) {

  /**
   * PEM material; {@code clientCa} is null unless client certificates are required, and
   * {@code reload} null unless certificates are reloaded.
   */
  public record Tls(byte[] certificateChain, byte[] privateKey, byte[] clientCa, Reload reload) {}

  /**
   * Where changed TLS material comes from, and how often to look. A null source means that part
   * was given as a stream and stays as it is; at most one of the certificate's files and its
   * supplier is set.
   */
  public record Reload(
      Duration checkEvery,
      Path certificateChainFile,
      Path privateKeyFile,
      Supplier<CertificateAndKey> certificateAndKey,
      Path clientCaFile) {
    /** The certificate supplier, as messages name it. */
    public static final String SUPPLIER = "tls certificate supplier";
  }

  /**
   * Connection limits of the TCP transport. {@code maxRstFrames} 0 turns rapid-reset protection
   * off; a null duration leaves grpc's default (for keepalive) or means no limit; a null
   * {@code maxConnections} means the default, from the process's file-descriptor limit.
   */
  public record Limits(
      int maxConcurrentCallsPerConnection,
      int maxRstFrames,
      Duration rstWindow,
      Duration handshakeTimeout,
      Duration keepAliveTime,
      Duration keepAliveTimeout,
      Duration permitKeepAliveTime,
      Duration maxConnectionIdle,
      Duration maxConnectionAge,
      Duration maxConnectionAgeGrace,
      long maxBufferedBytes,
      Duration requestTimeout,
      Integer maxConnections,
      int maxConnectionsPerAddress) {}
}
