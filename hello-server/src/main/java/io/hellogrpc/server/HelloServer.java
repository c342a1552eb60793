package io.hellogrpc.server;

import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.internal.GrpcOpenTelemetryCheck;
import io.hellogrpc.api.internal.Pem;
import io.hellogrpc.api.internal.PemReload;
import io.hellogrpc.api.internal.Settings;
import io.hellogrpc.api.internal.TlsIdentity;
import io.hellogrpc.api.internal.Tokens;
import io.hellogrpc.server.internal.DefaultHandlers;
import io.hellogrpc.server.internal.RealHelloServer;
import io.hellogrpc.server.internal.ServerConfig;
import io.hellogrpc.server.internal.ServerMemory;
import io.hellogrpc.server.internal.ServerObservers;
import io.hellogrpc.server.internal.StaticToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

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
 * <p>{@link Builder#start()} returns once the server listens, and the server's threads are daemons:
 * they never keep the JVM alive. A {@code main} that only serves must wait, or the process ends
 * as soon as it returns:
 *
 * <pre>{@code
 * Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // Ctrl-C, SIGTERM: drain
 * server.awaitTermination();
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
 * once with {@code UNAVAILABLE}; {@link #close()} does the first, waits the grace period, tells the
 * sessions still open that the "server is shutting down" ({@code UNAVAILABLE}), then does the
 * second.
 */
public interface HelloServer extends AutoCloseable {
  /**
   * Starts configuring a server.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The port it listens on, the chosen one if it was started with port 0.
   *
   * @return the port, from 1 to 65535
   * @throws IllegalStateException for an in-process server
   */
  int port();

  /**
   * Open {@code Channel} sessions right now. A session counts until the server's side of the call
   * has closed, which can be a moment after its client has already seen the end.
   *
   * @return how many sessions are open
   */
  int activeSessions();

  /**
   * Turns health to {@code NOT_SERVING} and refuses new calls; calls and sessions in flight go on.
   * Idempotent.
   */
  void shutdown();

  /**
   * Ends every open session with {@code UNAVAILABLE}, cancels calls in flight and stops, at once:
   * the description a client sees may be grpc's own rather than "server is shutting down", which
   * only {@link #close()} waits to deliver. Idempotent.
   */
  void shutdownNow();

  /**
   * Waits at most {@code timeout} for the server to stop; true if it has. A timeout too long to
   * count in nanoseconds waits as long as it takes.
   *
   * @param timeout how long to wait at most
   * @return true if the server has stopped
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Waits for the server to stop, for as long as it takes.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void awaitTermination() throws InterruptedException;

  /**
   * True once {@link #shutdown()}, {@link #shutdownNow()} or {@link #close()} was called.
   *
   * @return whether shutting down has started
   */
  boolean isShutdown();

  /**
   * True once the server has stopped: no call is open and the port is released.
   *
   * @return whether the server has stopped
   */
  boolean isTerminated();

  /**
   * Shuts down gracefully: turns health to {@code NOT_SERVING}, refuses new calls, gives open calls
   * and sessions the grace period to finish, then ends what is left with {@code UNAVAILABLE}
   * "server is shutting down" and releases the port and threads (a handler still running a moment
   * after its session ended is interrupted). Returns when the server has stopped. Idempotent.
   */
  @Override
  void close();

  /**
   * Configures a {@link HelloServer}. Setters check their argument at once; start() the rest.
   *
   * <p>The connection limits (from {@link #maxConnections} to {@link #maxConnectionAgeGrace})
   * apply to TCP connections; an in-process server has none and ignores them.
   */
  final class Builder {
    private Integer port;
    private String host;
    private String inProcessName;
    private HelloHandler onHello = DefaultHandlers.HELLO;
    private ChannelHandler onChannel;
    private ChatHandler onChat;
    private Executor executor;
    private int receiveBufferSize = 256;
    private int maxMessageSize = 4 * 1024 * 1024;
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private byte[] tlsCertificateChain;
    private byte[] tlsPrivateKey;
    private Path tlsCertificateChainFile; // null unless tls(Path, Path)
    private Path tlsPrivateKeyFile;
    private Supplier<CertificateAndKey> tlsSupplier; // null unless tls(Supplier)
    private byte[] clientCa;
    private Path clientCaFile; // null unless requireClientCertificates(Path)
    private Duration reloadCertificates;
    private TokenAuthenticator authenticator;
    private CertificatePrincipal certificatePrincipal;
    private boolean reflection;
    private int maxConcurrentCallsPerConnection = 1000;
    private Integer maxRstFrames; // null: twice maxConcurrentCallsPerConnection
    private Duration rstWindow = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration keepAliveTime;
    private Duration keepAliveTimeout;
    private Duration permitKeepAliveTime = Duration.ofSeconds(20);
    private Duration maxConnectionIdle = Duration.ofMinutes(5);
    private Duration maxConnectionAge;
    private Duration maxConnectionAgeGrace;
    private Long maxBufferedBytes; // null: an eighth of what the JVM may use, heap or direct
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Integer maxConnections; // null: half the process's file-descriptor limit, <= 10,000
    private int maxConnectionsPerAddress = 100;
    private HelloEventListener eventListener;
    private Object openTelemetry; // an OpenTelemetry; Object, so that nothing else names the type

    /** Under mutual TLS without a mapper of the application's. */
    private static final CertificatePrincipal DEFAULT_PRINCIPAL =
        certificate -> certificate.defaultPrincipal().orElse(null);

    private Builder() {}

    /**
     * The TCP port to listen on; 0 picks a free one (read it back with {@link #port()}).
     *
     * @param port from 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to listen on, such as {@code "127.0.0.1"}. Default: every interface.
     *
     * @param host a host name or IP address of this machine
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Settings.notBlank("host", host);
      return this;
    }

    /**
     * Serves in this JVM only, under {@code name}, for tests: no socket at all.
     *
     * @param name unique in this JVM: what clients give to their {@code inProcess(name)}
     * @return this builder
     */
    public Builder inProcess(String name) {
      this.inProcessName = Settings.notBlank("in-process name", name);
      return this;
    }

    /**
     * Answers {@code Hello}. Default: {@code "hello:" + name}.
     *
     * @param handler answers each call
     * @return this builder
     */
    public Builder onHello(HelloHandler handler) {
      this.onHello = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Answers each {@code Channel} message with one reply. Default: {@code "hello:" + message}.
     *
     * @param handler answers each message
     * @return this builder
     */
    public Builder onChannel(ChannelHandler handler) {
      this.onChannel = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Runs whole {@code Channel} sessions instead of answering message by message.
     *
     * @param handler runs each session
     * @return this builder
     */
    public Builder onChat(ChatHandler handler) {
      this.onChat = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Where handlers run. Default: a pool the server owns, bounded so that clients cannot make it
     * start a thread per call, shut down with the server. On JDK 21 and later it runs each handler
     * on a virtual thread, at most 10,000 at once; on JDK 17 it has eight threads per core (at
     * least 16) and a queue of 10,000 handlers waiting for one (an {@code onChat} session past the
     * threads waits there). A call the pool has no room for ends with {@code UNAVAILABLE} saying
     * so. The server never shuts down an executor given here.
     *
     * @param executor runs the handlers
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The most client messages a session buffers before it stops reading. Default 256.
     *
     * @param messages at least 1
     * @return this builder
     */
    public Builder receiveBufferSize(int messages) {
      this.receiveBufferSize = Settings.atLeastOne("receiveBufferSize", messages, "");
      return this;
    }

    /**
     * The largest message, in encoded bytes, accepted or sent. Default 4 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = Settings.atLeastOne("maxMessageSize", bytes, "byte");
      return this;
    }

    /**
     * How long {@link HelloServer#close()} lets calls in flight finish. Default 5 seconds.
     *
     * @param grace zero or more
     * @return this builder
     */
    public Builder shutdownGracePeriod(Duration grace) {
      this.shutdownGracePeriod = Settings.notNegative("shutdownGracePeriod", grace);
      return this;
    }

    /**
     * Serves over TLS: this certificate chain (PEM, the server's certificate first) and its
     * private key (PEM, unencrypted PKCS#8: {@code BEGIN PRIVATE KEY}; RSA or EC). Read and checked
     * at once.
     *
     * @param certificateChain a PEM file: the server's certificate, then any intermediates
     * @param privateKey a PEM file: the certificate's private key
     * @return this builder
     * @throws IllegalArgumentException naming the file and what to do, if a file cannot be read or
     *     is not PEM; if the key does not match the first certificate ("tls private key ... does
     *     not match the certificate ..."); if the key is PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or
     *     SEC1 ({@code BEGIN EC PRIVATE KEY}): the message gives the {@code openssl pkcs8 -topk8
     *     -nocrypt} command that converts it; or if it is encrypted, which is not supported
     */
    public Builder tls(Path certificateChain, Path privateKey) {
      byte[] chain = Pem.read("tls certificate chain", certificateChain);
      byte[] key = Pem.read("tls private key", privateKey);
      TlsIdentity.check(
          "tls certificate chain " + certificateChain, chain,
          "tls private key " + privateKey, key, privateKey);
      this.tlsCertificateChain = chain;
      this.tlsPrivateKey = key;
      this.tlsCertificateChainFile = certificateChain;
      this.tlsPrivateKeyFile = privateKey;
      this.tlsSupplier = null;
      return this;
    }

    /**
     * As {@link #tls(Path, Path)}, reading both streams to their end now; the caller closes them.
     *
     * @param certificateChain PEM: the server's certificate, then any intermediates
     * @param privateKey PEM: the certificate's private key
     * @return this builder
     */
    public Builder tls(InputStream certificateChain, InputStream privateKey) {
      byte[] chain = Pem.read("tls certificate chain", certificateChain);
      byte[] key = Pem.read("tls private key", privateKey);
      TlsIdentity.check("tls certificate chain", chain, "tls private key", key, null);
      this.tlsCertificateChain = chain;
      this.tlsPrivateKey = key;
      this.tlsCertificateChainFile = null;
      this.tlsPrivateKeyFile = null;
      this.tlsSupplier = null;
      return this;
    }

    /**
     * Serves over TLS with the certificate chain and key that {@code certificateAndKey} gives, for
     * applications that fetch their certificates themselves. It is asked at {@link #start()}, and
     * then every {@link #reloadCertificates} interval, which must be set, on a thread of the
     * server's: what it gives is checked as {@link #tls(Path, Path)} checks files, and used for new
     * connections when it changed (see {@link #reloadCertificates}). Return what you hold; fetch
     * elsewhere.
     *
     * <p>At {@code start()}, a supplier that throws, returns null or gives an unusable pair fails
     * it with {@code IllegalArgumentException}; later, it is refused with a {@code WARNING} and the
     * pair in use stays.
     *
     * @param certificateAndKey gives the certificate chain and key, each time it is asked
     * @return this builder
     */
    public Builder tls(Supplier<CertificateAndKey> certificateAndKey) {
      this.tlsSupplier = Objects.requireNonNull(certificateAndKey, "certificateAndKey");
      this.tlsCertificateChain = null;
      this.tlsPrivateKey = null;
      this.tlsCertificateChainFile = null;
      this.tlsPrivateKeyFile = null;
      return this;
    }

    /**
     * Mutual TLS: every client must present a certificate that these CA certificates (PEM) vouch
     * for, or the handshake fails. Needs {@code tls(...)}. Read at once.
     *
     * <p>The certificate then authenticates the caller: handlers see its
     * {@link Caller#clientCertificate()} and, unless the server also requires a token (whose
     * principal wins), a {@link Caller#principal()} from it: by default its first DNS name, else
     * first URI, else common name (a certificate with none of them is refused
     * {@code UNAUTHENTICATED}); {@link #clientCertificatePrincipal} chooses otherwise.
     *
     * @param trustedCertificates a PEM file of CA certificates
     * @return this builder
     */
    public Builder requireClientCertificates(Path trustedCertificates) {
      this.clientCa = Pem.read("client CA certificates", trustedCertificates);
      this.clientCaFile = trustedCertificates;
      return this;
    }

    /**
     * As {@link #requireClientCertificates(Path)}, reading the stream to its end now.
     *
     * @param trustedCertificates PEM CA certificates
     * @return this builder
     */
    public Builder requireClientCertificates(InputStream trustedCertificates) {
      this.clientCa = Pem.read("client CA certificates", trustedCertificates);
      this.clientCaFile = null;
      return this;
    }

    /**
     * Looks every {@code checkEvery} for new TLS material and uses it for new connections, without
     * a restart: the files given to {@link #tls(Path, Path)} and
     * {@link #requireClientCertificates(Path)}, read again (following symlinks, so that a
     * Kubernetes secret volume's swap is seen whole), or the {@link #tls(Supplier)} supplier,
     * asked again. Connections already open, and their sessions, go on with the certificate they
     * started with. Material given as a stream cannot be read again and stays as it is.
     *
     * <p>New material is checked as the setters check it: a certificate and a key that do not
     * belong together, a file cut short or being written, or one that is not PEM, is refused with a
     * {@code WARNING} on the logger {@code io.hellogrpc.server} that says why, and the material in
     * use stays until the files change again. Each change in use is logged at {@code INFO}. Replace
     * a certificate and its key together: write them elsewhere and move them into place, or swap a
     * symlink, as cert-manager and Kubernetes do; a check between two separate writes refuses the
     * half-changed pair, and the next one takes the whole.
     *
     * <p>One daemon thread per server does the checks, from {@code start()} until shutdown. Every
     * minute is usual: a certificate is renewed long before it expires. Default: never; the
     * material read at start is used until the server stops.
     *
     * @param checkEvery how often; more than zero
     * @return this builder
     */
    public Builder reloadCertificates(Duration checkEvery) {
      this.reloadCertificates = Settings.positive("reloadCertificates", checkEvery);
      return this;
    }

    /**
     * How a client certificate names the principal handlers see, under
     * {@link #requireClientCertificates(Path)}, instead of the default (first DNS name, else first
     * URI, else common name): look the subject up, take the SPIFFE ID among the URIs, and so on.
     * A mapper that returns null refuses the call with {@code UNAUTHENTICATED}. Needs
     * {@code requireClientCertificates(...)}; with {@code requireToken(...)} the token names the
     * principal, so the two are refused together.
     *
     * @param mapper chooses the principal from the certificate
     * @return this builder
     */
    public Builder clientCertificatePrincipal(CertificatePrincipal mapper) {
      this.certificatePrincipal = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Every HelloService call must carry {@code authorization: Bearer <token>} with this token, or
     * it fails with {@code UNAUTHENTICATED}. The comparison takes the same time however much of a
     * guess is right. Handlers see the principal {@code "token"} (see {@link Caller}).
     *
     * @param token the token every call must carry
     * @return this builder
     */
    public Builder requireToken(String token) {
      Tokens.check(token);
      this.authenticator = new StaticToken(token);
      return this;
    }

    /**
     * Every HelloService call must carry {@code authorization: Bearer <token>} that
     * {@code authenticator} accepts, or it fails with {@code UNAUTHENTICATED}; the principal it
     * returns is visible to handlers (see {@link Caller}).
     *
     * @param authenticator checks each call's token and names its principal
     * @return this builder
     */
    public Builder requireToken(TokenAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Serves server reflection ({@code grpc.reflection.v1} and {@code v1alpha}), so that tools such
     * as {@code grpcurl} and {@code buf curl} can list and call HelloService without the .proto.
     * Default: off.
     *
     * @param enabled true to serve reflection
     * @return this builder
     */
    public Builder reflection(boolean enabled) {
      this.reflection = enabled;
      return this;
    }

    /**
     * The most client connections open at once. A connection beyond it is closed as soon as it is
     * accepted, before anything is read from it, and a {@code WARNING} says so (at most once a
     * minute, with how many more were refused); the server accepts again as connections close.
     * Connections the server already has are not touched.
     *
     * <p>Default: half the file descriptors the process may open ({@code ulimit -n}; 512 at the
     * common 1,024), at most 10,000; 10,000 where the JVM cannot tell the limit. Each connection
     * takes a descriptor, so the process keeps the other half for everything else it opens, and
     * a flood of connections cannot leave the host application unable to open a file or the
     * server unable to accept. An idle connection holds about 7.5 KiB of heap, so 10,000 hold
     * about 75 MiB. A {@code HelloClient} opens one connection per 1,000 sessions it holds, so
     * the default serves hundreds of clients on any machine; raise it (and the descriptor limit)
     * for more.
     *
     * <p>While the server holds this many, new connections are refused, well-behaved or not:
     * connections from many addresses that open and say nothing fill it until
     * {@link #maxConnectionIdle} closes them. {@link #maxConnectionsPerAddress} keeps one address
     * from doing so.
     *
     * @param connections at least 1
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = Settings.atLeastOne("maxConnections", connections, "");
      return this;
    }

    /**
     * The most client connections open at once from one IPv4 address, or one IPv6 /64 network
     * (the block a single host or site is usually given). A connection beyond it is closed as
     * soon as it is accepted, and a {@code WARNING} says so, at most once a minute; connections
     * from other addresses are still accepted, up to {@link #maxConnections}.
     *
     * <p>Default 100: a {@code HelloClient} holding 10,000 sessions uses about 10 connections (one
     * per 1,000, the server's {@link #maxConcurrentCallsPerConnection}), so ten such clients can
     * share one address, while one address can never take more than 100 of the server's
     * connections. Raise it when many clients reach the server from one address: behind a NAT,
     * or through a proxy that does not keep the clients' addresses.
     *
     * @param connections at least 1
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int connections) {
      this.maxConnectionsPerAddress =
          Settings.atLeastOne("maxConnectionsPerAddress", connections, "");
      return this;
    }

    /**
     * The most calls and sessions one client connection may have open at once (HTTP/2
     * {@code MAX_CONCURRENT_STREAMS}); a client's further calls wait for a free slot. Default 1000.
     *
     * @param calls at least 1
     * @return this builder
     */
    public Builder maxConcurrentCallsPerConnection(int calls) {
      this.maxConcurrentCallsPerConnection =
          Settings.atLeastOne("maxConcurrentCallsPerConnection", calls, "");
      return this;
    }

    /**
     * HTTP/2 rapid-reset protection (CVE-2023-44487): a connection whose client resets (RST_STREAM)
     * more than {@code frames} calls that the server had not answered yet within {@code window} is
     * closed, and a WARNING says so. A call the server has answered (headers, a message or its
     * end) never counts, so a client may cancel sessions that exchanged messages at any rate; the
     * attack resets calls before the server can answer, thousands a second. {@code 0} turns the
     * protection off. Default: twice {@link #maxConcurrentCallsPerConnection} (2,000) per 10
     * seconds, so a client may cancel every call it holds at once, twice over.
     *
     * @param frames how many such resets a window allows; 0 turns the protection off
     * @param window whole seconds, at least 1
     * @return this builder
     */
    public Builder maxRstFramesPerWindow(int frames, Duration window) {
      if (frames < 0) {
        throw new IllegalArgumentException(
            "maxRstFramesPerWindow frames must not be negative: " + frames);
      }
      Objects.requireNonNull(window, "window");
      if (window.getSeconds() < 1
          || window.getSeconds() > Integer.MAX_VALUE
          || window.getNano() != 0) {
        throw new IllegalArgumentException(
            "maxRstFramesPerWindow window must be whole seconds, at least 1: " + window);
      }
      this.maxRstFrames = frames;
      this.rstWindow = window;
      return this;
    }

    /**
     * How long a new connection may take to finish its TLS and HTTP/2 handshake before it is
     * closed. Default 10 seconds.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Settings.positive("handshakeTimeout", timeout);
      return this;
    }

    /**
     * How long a connection may be quiet before the server pings the client to check it is still
     * there. Default 2 hours (grpc's).
     *
     * @param time more than zero
     * @return this builder
     */
    public Builder keepAliveTime(Duration time) {
      this.keepAliveTime = Settings.positive("keepAliveTime", time);
      return this;
    }

    /**
     * How long the server waits for the answer to a keepalive ping. Default 20 seconds.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = Settings.positive("keepAliveTimeout", timeout);
      return this;
    }

    /**
     * The most often a client may ping; a client that pings more often has its connection closed
     * ({@code too_many_pings}). Clients' keepalive time must be at least this. Default 20 seconds.
     *
     * @param time more than zero
     * @return this builder
     */
    public Builder permitKeepAliveTime(Duration time) {
      this.permitKeepAliveTime = Settings.positive("permitKeepAliveTime", time);
      return this;
    }

    /**
     * Closes a connection (gracefully, with GOAWAY) after it had no call open for this long,
     * counted from when its last call ended, or from its start if it never had one: a connection
     * that opens and then says nothing is not kept. A grpc client connects again when it needs
     * to, without an error; a {@code HelloClient}, which keeps a connection to each server it
     * knows, does so at once. A client that does not answer the GOAWAY's PING, as a silent
     * attacker does not, is closed 10 seconds later.
     *
     * <p>Default 5 minutes: a client quiet for longer pays a new handshake on its next call, and
     * a connection a client forgot, or one opened only to be held, is let go. At least 1 second
     * (grpc reads less as 1 second); 1,000 days or more means never.
     *
     * @param idle more than zero
     * @return this builder
     */
    public Builder maxConnectionIdle(Duration idle) {
      this.maxConnectionIdle = Settings.positive("maxConnectionIdle", idle);
      return this;
    }

    /**
     * Asks clients to reconnect (GOAWAY) once a connection is this old, so clients spread over
     * replicas added since. Calls open then go on, for at most {@link #maxConnectionAgeGrace}.
     * Default: never.
     *
     * @param age more than zero
     * @return this builder
     */
    public Builder maxConnectionAge(Duration age) {
      this.maxConnectionAge = Settings.positive("maxConnectionAge", age);
      return this;
    }

    /**
     * How long calls and sessions may go on over a connection past its {@link #maxConnectionAge};
     * then it is closed and they end with {@code UNAVAILABLE}, and the client opens new ones on a
     * new connection. This is what moves long-lived sessions to other replicas. Default: no limit.
     *
     * @param grace zero or more
     * @return this builder
     */
    public Builder maxConnectionAgeGrace(Duration grace) {
      Settings.notNegative("maxConnectionAgeGrace", grace);
      this.maxConnectionAgeGrace = grace;
      return this;
    }

    /**
     * The most bytes the server holds for messages at once, across all calls and connections:
     * messages arriving (counted from their first byte), messages waiting for a session's handler,
     * and each {@code Hello}'s request and reply until its call ends. Past it, the connection
     * holding the most is cut, freeing what it held, and a WARNING says so (at most one a minute).
     * A message is counted by its length in characters. Bytes a client sent that the server has
     * not asked for yet are not counted: HTTP/2 flow control bounds them to 1 MiB per connection.
     * Default: an eighth of the smaller of the JVM's maximum heap and its maximum direct memory
     * (64 MiB at {@code -Xmx512m}); Netty reserves direct memory in whole chunks, so what it holds
     * peaks well above what is counted.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBufferedBytes must be at least 1 byte: " + bytes);
      }
      this.maxBufferedBytes = bytes;
      return this;
    }

    /**
     * How long a unary call ({@code Hello}, a health check) may take to receive its request: a call
     * whose client has not finished sending it (half-closed) by then ends with
     * {@code DEADLINE_EXCEEDED}, and its handler never runs. Default 10 seconds.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Settings.positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Starts serving.
     *
     * @return the running server
     * @throws IllegalStateException if the settings contradict each other (the message says which)
     * @throws IllegalArgumentException if the {@link #tls(Supplier)} supplier throws, returns null
     *     or gives a certificate and key that {@link #tls(Path, Path)} would refuse, saying why
     * @throws IOException if the port cannot be bound, saying why: "could not listen on
     *     127.0.0.1:1234: address already in use (...)" for a port another server holds, else
     *     what the system said
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
      boolean tls = tlsCertificateChain != null || tlsSupplier != null;
      if (inProcessName != null && tls) {
        throw new IllegalStateException(
            "tls(...) needs port(n): an in-process server has no transport to secure");
      }
      if (clientCa != null && !tls) {
        throw new IllegalStateException(
            "requireClientCertificates(...) needs tls(certificateChain, privateKey)");
      }
      if (certificatePrincipal != null && clientCa == null) {
        throw new IllegalStateException(
            "clientCertificatePrincipal(...) needs requireClientCertificates(...): without mutual"
                + " TLS no certificate names the caller");
      }
      if (certificatePrincipal != null && authenticator != null) {
        throw new IllegalStateException(
            "clientCertificatePrincipal(...) and requireToken(...) both name the caller's"
                + " principal, and the token's would win: set one");
      }
      ServerConfig.Reload reload = reload(tls);
      if (maxConnectionAgeGrace != null && maxConnectionAge == null) {
        throw new IllegalStateException(
            "maxConnectionAgeGrace(" + maxConnectionAgeGrace + ") needs maxConnectionAge(...)");
      }
      if (onChannel != null && onChat != null) {
        throw new IllegalStateException(
            "onChannel and onChat are alternatives for the Channel method: set one");
      }
      ChannelHandler perMessage = onChannel != null ? onChannel : DefaultHandlers.CHANNEL;
      return RealHelloServer.start(
          ServerObservers.of(eventListener, openTelemetry),
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
              tlsConfig(reload),
              authenticator,
              clientCa == null
                  ? null
                  : certificatePrincipal != null ? certificatePrincipal : DEFAULT_PRINCIPAL,
              reflection,
              new ServerConfig.Limits(
                  maxConcurrentCallsPerConnection,
                  maxRstFrames != null ? maxRstFrames : 2 * maxConcurrentCallsPerConnection,
                  rstWindow,
                  handshakeTimeout,
                  keepAliveTime,
                  keepAliveTimeout,
                  permitKeepAliveTime,
                  maxConnectionIdle,
                  maxConnectionAge,
                  maxConnectionAgeGrace,
                  maxBufferedBytes != null ? maxBufferedBytes : ServerMemory.defaultBudget(),
                  requestTimeout,
                  maxConnections,
                  maxConnectionsPerAddress)));
    }

    /**
     * How the TLS material is reloaded, or null if it is not.
     *
     * @throws IllegalStateException if reloading is asked for without anything to reload, or a
     *     supplier is given without reloading
     */
    private ServerConfig.Reload reload(boolean tls) {
      if (reloadCertificates == null) {
        if (tlsSupplier != null) {
          throw new IllegalStateException(
              "tls(Supplier) needs reloadCertificates(checkEvery): how often to ask it again; for"
                  + " material that never changes, use tls(certificateChain, privateKey)");
        }
        return null;
      }
      if (!tls) {
        throw new IllegalStateException(
            "reloadCertificates(" + reloadCertificates + ") needs tls(...)");
      }
      if (tlsCertificateChainFile == null && tlsSupplier == null && clientCaFile == null) {
        throw new IllegalStateException(
            "reloadCertificates(" + reloadCertificates + ") reads files again, but tls(...) and"
                + " requireClientCertificates(...) were given streams, which cannot be read"
                + " again: give them as Path, or tls(Supplier)");
      }
      return new ServerConfig.Reload(
          reloadCertificates,
          tlsCertificateChainFile,
          tlsPrivateKeyFile,
          tlsSupplier,
          clientCaFile);
    }

    /** The TLS material, asking the supplier if there is one. */
    private ServerConfig.Tls tlsConfig(ServerConfig.Reload reload) {
      byte[] chain = tlsCertificateChain;
      byte[] key = tlsPrivateKey;
      if (tlsSupplier != null) {
        CertificateAndKey first = PemReload.ask(ServerConfig.Reload.SUPPLIER, tlsSupplier);
        chain = PemReload.ascii(first.certificateChain());
        key = PemReload.ascii(first.privateKey());
        TlsIdentity.check(
            ServerConfig.Reload.SUPPLIER + "'s certificate chain", chain,
            ServerConfig.Reload.SUPPLIER + "'s private key", key, null);
      }
      return chain == null ? null : new ServerConfig.Tls(chain, key, clientCa, reload);
    }

    /**
     * Tells {@code listener} about every session and {@code Hello} the server serves: see
     * {@link HelloEventListener} for the events, the threads they run on and what they cost.
     * Default: none, and then the server does none of this work.
     *
     * @param listener told of each event, on the threads its class documents
     * @return this builder
     */
    public Builder eventListener(HelloEventListener listener) {
      this.eventListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Reports metrics and traces through {@code openTelemetry} (the application's SDK, such as
     * {@code OpenTelemetrySdk} or {@code GlobalOpenTelemetry.get()}): grpc's standard per-call
     * metrics ({@code grpc.server.call.duration}, ...), the library's own ({@code hello.server.*}:
     * open sessions, session duration by status, messages, time senders waited on flow control,
     * receive-buffer fill, {@code Hello} duration by status), and a SERVER span per {@code Hello}
     * and per session, the child of the client's span when the client sent its trace context
     * (W3C {@code traceparent}, or the application's own propagators). The README lists them.
     *
     * <p>OpenTelemetry is an optional dependency: an application that never calls this needs no
     * OpenTelemetry on its class path, and the server loads none of its classes. One that does needs
     * {@code io.grpc:grpc-opentelemetry} too (also optional here, at its grpc version), or this
     * throws {@link IllegalStateException} saying so. Default: none.
     *
     * @param openTelemetry the application's OpenTelemetry
     * @return this builder
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      Objects.requireNonNull(openTelemetry, "openTelemetry");
      GrpcOpenTelemetryCheck.require();
      this.openTelemetry = openTelemetry;
      return this;
    }
  }
}
