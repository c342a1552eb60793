package io.hellogrpc.server;

import io.hellogrpc.api.internal.Pem;
import io.hellogrpc.server.internal.RealHelloServer;
import io.hellogrpc.server.internal.ServerConfig;
import io.hellogrpc.server.internal.StaticToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A running HelloService server.
 *
 * <pre>{@code
 * HelloServer server = HelloServer.builder()
 *     .port(1234)                                 // 0 picks a free port
 *     .onHello(name -> "hello:" + name)           // the defaults, as in the Go tutorial
 *     .onChannel(message -> "hello:" + message)
 *     .start();
 * int port = server.port();
 * ...
 * server.close();                                 // drains gracefully
 * }</pre>
 *
 * <p>Besides {@code hello.v1.HelloService} it serves the standard health service
 * ({@code grpc.health.v1.Health}): {@code SERVING} for {@code ""} and {@code hello.v1.HelloService}
 * while up, {@code NOT_SERVING} from the moment shutting down starts. With
 * {@link Builder#reflection(boolean)} it serves server reflection too. Health and reflection need
 * no token.
 *
 * <p>Shutting down follows grpc: {@link #shutdown()} turns health to {@code NOT_SERVING}, refuses
 * new calls and lets the ones in flight finish; {@link #shutdownNow()} ends every open session at
 * once with {@code UNAVAILABLE} ("server is shutting down"); {@link #close()} does the first,
 * waits the grace period, then the second.
 */
public interface HelloServer extends AutoCloseable {
  static Builder builder() {
    return new Builder();
  }

  /**
   * The port it listens on, the chosen one if it was started with port 0.
   *
   * @throws IllegalStateException for an in-process server
   */
  int port();

  /** Open {@code Channel} sessions right now. */
  int activeSessions();

  /**
   * Turns health to {@code NOT_SERVING} and refuses new calls; calls and sessions in flight go on.
   * Idempotent.
   */
  void shutdown();

  /**
   * Ends every open session with {@code UNAVAILABLE} "server is shutting down", cancels calls in
   * flight and stops. Idempotent.
   */
  void shutdownNow();

  /** Waits at most {@code timeout} for the server to stop; true if it has. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /** Waits for the server to stop, for as long as it takes. */
  void awaitTermination() throws InterruptedException;

  boolean isShutdown();

  boolean isTerminated();

  /**
   * Shuts down gracefully: turns health to {@code NOT_SERVING}, refuses new calls, gives open calls
   * and sessions the grace period to finish, then ends what is left with {@code UNAVAILABLE}
   * "server is shutting down" and releases the port and threads. Returns when the server has
   * stopped. Idempotent.
   */
  @Override
  void close();

  /** Configures a {@link HelloServer}. Setters check their argument at once; start() the rest. */
  final class Builder {
    private Integer port;
    private String host;
    private String inProcessName;
    private HelloHandler onHello = name -> "hello:" + name;
    private ChannelHandler onChannel;
    private ChatHandler onChat;
    private Executor executor;
    private int receiveBufferSize = 256;
    private int maxMessageSize = 4 * 1024 * 1024;
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private byte[] tlsCertificateChain;
    private byte[] tlsPrivateKey;
    private byte[] clientCa;
    private TokenAuthenticator authenticator;
    private boolean reflection;

    private Builder() {}

    /** The TCP port to listen on; 0 picks a free one (read it back with {@link #port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on, such as {@code "127.0.0.1"}. Default: every interface. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank: '" + host + "'");
      }
      this.host = host;
      return this;
    }

    /** Serves in this JVM only, under {@code name}, for tests: no socket at all. */
    public Builder inProcess(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("in-process name must not be blank: '" + name + "'");
      }
      this.inProcessName = name;
      return this;
    }

    /** Answers {@code Hello}. Default: {@code "hello:" + name}. */
    public Builder onHello(HelloHandler handler) {
      this.onHello = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Answers each {@code Channel} message with one reply. Default: {@code "hello:" + message}. */
    public Builder onChannel(ChannelHandler handler) {
      this.onChannel = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Runs whole {@code Channel} sessions instead of answering message by message. */
    public Builder onChat(ChatHandler handler) {
      this.onChat = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Where handlers run. Default: a pool the server owns, growing with demand, shut down with the
     * server. The server never shuts down an executor given here.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The most client messages a session buffers before it stops reading. Default 256. */
    public Builder receiveBufferSize(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException("receiveBufferSize must be at least 1: " + messages);
      }
      this.receiveBufferSize = messages;
      return this;
    }

    /** The largest message, in encoded bytes, accepted or sent. Default 4 MiB. */
    public Builder maxMessageSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxMessageSize must be at least 1 byte: " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /** How long {@link HelloServer#close()} lets calls in flight finish. Default 5 seconds. */
    public Builder shutdownGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGracePeriod must not be negative: " + grace);
      }
      this.shutdownGracePeriod = grace;
      return this;
    }

    /**
     * Serves over TLS: this certificate chain (PEM, the server's certificate first) and its
     * private key (PEM, PKCS#8: {@code BEGIN PRIVATE KEY}). Read at once.
     *
     * @throws IllegalArgumentException if a file cannot be read or is not PEM, naming it
     */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.tlsCertificateChain = Pem.read("tls certificate chain", certificateChain);
      this.tlsPrivateKey = Pem.read("tls private key", privateKey);
      return this;
    }

    /** As {@link #tls(Path, Path)}, reading both streams to their end now; the caller closes them. */
    public Builder tls(InputStream certificateChain, InputStream privateKey) {
      this.tlsCertificateChain = Pem.read("tls certificate chain", certificateChain);
      this.tlsPrivateKey = Pem.read("tls private key", privateKey);
      return this;
    }

    /**
     * Mutual TLS: every client must present a certificate that these CA certificates (PEM) vouch
     * for, or the handshake fails. Needs {@link #tls(Path, Path)}. Read at once.
     */
    public Builder requireClientCertificates(Path trustedCertificates) {
      this.clientCa = Pem.read("client CA certificates", trustedCertificates);
      return this;
    }

    /** As {@link #requireClientCertificates(Path)}, reading the stream to its end now. */
    public Builder requireClientCertificates(InputStream trustedCertificates) {
      this.clientCa = Pem.read("client CA certificates", trustedCertificates);
      return this;
    }

    /**
     * Every HelloService call must carry {@code authorization: Bearer <token>} with this token, or
     * it fails with {@code UNAUTHENTICATED}. The comparison takes the same time however much of a
     * guess is right. Handlers see the principal {@code "token"} (see {@link Caller}).
     */
    public Builder requireToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(
            "token must be printable ASCII without spaces ("
                + token.length() + " characters given; the value is not repeated here)");
      }
      this.authenticator = new StaticToken(token);
      return this;
    }

    /**
     * Every HelloService call must carry {@code authorization: Bearer <token>} that
     * {@code authenticator} accepts, or it fails with {@code UNAUTHENTICATED}; the principal it
     * returns is visible to handlers (see {@link Caller}).
     */
    public Builder requireToken(TokenAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Serves server reflection ({@code grpc.reflection.v1} and {@code v1alpha}), so that tools such
     * as {@code grpcurl} and {@code buf curl} can list and call HelloService without the .proto.
     * Default: off.
     */
    public Builder reflection(boolean enabled) {
      this.reflection = enabled;
      return this;
    }

    /**
     * Starts serving.
     *
     * @throws IllegalStateException if the settings contradict each other (the message says which)
     * @throws IOException if the port cannot be bound
     */
    public HelloServer start() throws IOException {
      if ((port == null) == (inProcessName == null)) {
        throw new IllegalStateException(
            port == null
                ? "set port(n) or inProcess(name) before start()"
                : "port(" + port + ") and inProcess(\"" + inProcessName
                    + "\") are alternatives: set one");
      }
      if (host != null && inProcessName != null) {
        throw new IllegalStateException(
            "host(\"" + host + "\") needs port(n): an in-process server has no address");
      }
      if (inProcessName != null && tlsCertificateChain != null) {
        throw new IllegalStateException(
            "tls(...) needs port(n): an in-process server has no transport to secure");
      }
      if (clientCa != null && tlsCertificateChain == null) {
        throw new IllegalStateException(
            "requireClientCertificates(...) needs tls(certificateChain, privateKey)");
      }
      if (onChannel != null && onChat != null) {
        throw new IllegalStateException(
            "onChannel and onChat are alternatives for the Channel method: set one");
      }
      ChannelHandler perMessage = onChannel != null ? onChannel : message -> "hello:" + message;
      return RealHelloServer.start(
          new ServerConfig(
              port,
              host,
              inProcessName,
              onHello,
              onChat == null ? perMessage : null,
              onChat,
              executor,
              receiveBufferSize,
              maxMessageSize,
              shutdownGracePeriod,
              tlsCertificateChain == null
                  ? null
                  : new ServerConfig.Tls(tlsCertificateChain, tlsPrivateKey, clientCa),
              authenticator,
              reflection));
    }
  }
}
