package io.hellogrpc.client;

import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.internal.GrpcOpenTelemetryCheck;
import io.hellogrpc.api.internal.Pem;
import io.hellogrpc.api.internal.PemReload;
import io.hellogrpc.api.internal.Settings;
import io.hellogrpc.api.internal.TlsIdentity;
import io.hellogrpc.api.internal.Tokens;
import io.hellogrpc.client.internal.ClientConfig;
import io.hellogrpc.client.internal.ClientObservers;
import io.hellogrpc.client.internal.HostPort;
import io.hellogrpc.client.internal.RealHelloClient;
import io.hellogrpc.client.internal.RequestHeaders;
import io.hellogrpc.client.internal.Targets;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A client of HelloService. Build one per server (or per set of servers) and share it: it is
 * thread-safe, holds one connection per server, and every call and session goes over them. Where
 * a target resolves to several servers, or {@link Builder#addresses} lists several, calls and
 * sessions are spread over them round-robin.
 *
 * <pre>{@code
 * try (HelloClient client = HelloClient.builder().target("localhost:1234").build()) {
 *   String greeting = client.hello("Hello Service");          // "hello:Hello Service"
 *   try (ChatSession chat = client.openChat()) {
 *     chat.send("Hello server");
 *     String reply = chat.receive();                           // "hello:Hello server"
 *     chat.complete();
 *   }
 * }
 * }</pre>
 */
public interface HelloClient extends AutoCloseable {
  /**
   * Starts configuring a client.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Calls {@code Hello} and waits for the reply, at most the client's {@code helloDeadline}.
   *
   * @param name what to send
   * @return the server's reply
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if it is larger than {@code maxMessageSize}, or has a lone
   *     surrogate (half a UTF-16 pair, which UTF-8 cannot encode), naming its index
   * @throws io.hellogrpc.api.HelloException if the call failed: status code and description; if
   *     the waiting thread is interrupted, {@code CANCELLED}, with its interrupt flag set again
   * @throws IllegalStateException if the client is closed
   */
  String hello(String name);

  /**
   * As {@link #hello(String)}, waiting at most {@code deadline} instead of the client's
   * {@code helloDeadline}.
   *
   * @param name what to send
   * @param deadline how long to wait at most; more than zero
   * @return the reply
   * @throws IllegalArgumentException if {@code deadline} is not positive, besides what
   *     {@link #hello(String)} throws
   */
  String hello(String name, Duration deadline);

  /**
   * As {@link #hello(String)}, with {@code settings}' deadline (else the client's
   * {@code helloDeadline}) and its headers beside the client's.
   *
   * @param name what to send
   * @param settings the call's settings
   * @return the reply
   * @throws IllegalArgumentException if {@code settings} has an idle timeout, which only sessions
   *     have, besides what {@link #hello(String)} throws
   */
  String hello(String name, CallSettings settings);

  /**
   * Calls {@code Hello} without waiting. The future completes on the client's callback executor,
   * exceptionally with {@link io.hellogrpc.api.HelloException} if the call failed. Cancelling the
   * future cancels the call.
   *
   * @param name what to send
   * @return the reply, once it comes
   * @throws NullPointerException if {@code name} is null (at once, not through the future)
   * @throws IllegalArgumentException if it is larger than {@code maxMessageSize}, or has a lone
   *     surrogate (at once)
   * @throws IllegalStateException if the client is closed (at once)
   */
  CompletableFuture<String> helloAsync(String name);

  /**
   * As {@link #helloAsync(String)}, with {@code settings} as {@link #hello(String, CallSettings)}
   * takes them (a bad setting throws at once).
   *
   * @param name what to send
   * @param settings the call's settings
   * @return the reply, once it comes
   */
  CompletableFuture<String> helloAsync(String name, CallSettings settings);

  /**
   * Opens a {@code Channel} session whose replies are read with receive, poll or replies.
   *
   * @return the session, open
   */
  ChatSession openChat();

  /**
   * Opens a {@code Channel} session whose replies go to {@code listener}.
   *
   * @param listener receives the replies and the end
   * @return the session, open
   */
  ChatSession openChat(ChatListener listener);

  /**
   * As {@link #openChat()}, with {@code settings}' deadline and idle timeout (else the client's
   * {@code chatDeadline} and {@code chatIdleTimeout}) and its headers beside the client's.
   *
   * @param settings the call's settings
   * @return the session, open
   */
  ChatSession openChat(CallSettings settings);

  /**
   * As {@link #openChat(ChatListener)}, with {@code settings} as {@link #openChat(CallSettings)}.
   *
   * @param settings the call's settings
   * @param listener receives the replies and the end
   * @return the session, open
   */
  ChatSession openChat(CallSettings settings, ChatListener listener);

  /**
   * Stops taking new calls, gives calls and sessions in flight the {@code shutdownGracePeriod}
   * (5 seconds by default) to finish, then cancels what is left, sessions with {@code CANCELLED}
   * "the HelloClient was closed" (also when the closing thread is interrupted), and releases the
   * connections and threads. When it returns every session has ended and every
   * {@link ChatListener} has had its end callback (callbacks still running get 5 seconds more).
   * Idempotent.
   */
  @Override
  void close();

  /** Configures a {@link HelloClient}. Setters check their argument at once; build() the rest. */
  final class Builder {
    private static final int MAX_HELLO_ATTEMPTS = 5; // grpc's own ceiling

    private String target;
    private List<String> addresses;
    private String inProcessName;
    private Duration helloDeadline = Duration.ofSeconds(10);
    private Duration chatDeadline;
    private Duration chatIdleTimeout;
    private int helloMaxAttempts = 1;
    private boolean waitForReady;
    private int receiveBufferSize = 256;
    private int maxMessageSize = 4 * 1024 * 1024;
    private int maxConcurrentCallsPerConnection = 1000;
    private Executor callbackExecutor;
    private boolean tls;
    private byte[] trustedCertificates;
    private Path trustedCertificatesFile; // null unless trustedCertificates(Path)
    private Supplier<String> trustedCertificatesSupplier;
    private byte[] certificateChain;
    private byte[] privateKey;
    private Path certificateChainFile; // null unless clientCertificate(Path, Path)
    private Path privateKeyFile;
    private Supplier<CertificateAndKey> clientCertificateSupplier;
    private Duration reloadCertificates;
    private Supplier<String> token;
    private boolean tokenIsFixed;
    private boolean allowTokenOverPlaintext;
    private Duration keepAliveTime;
    private Duration keepAliveTimeout;
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private final Map<String, Object> headers = new LinkedHashMap<>();
    private HelloEventListener eventListener;
    private Object openTelemetry; // an OpenTelemetry; Object, so that nothing else names the type

    private Builder() {}

    /**
     * The server: {@code "host:port"} (IPv6 as {@code "[::1]:1234"}), or a gRPC target URI such as
     * {@code "dns:///host:port"} or {@code "dns://8.8.8.8/host:port"}.
     *
     * @param target {@code "host:port"} or a gRPC target URI
     * @return this builder
     * @throws IllegalArgumentException naming the target and what to write instead, if grpc could
     *     not use it: a {@code host:port} without a port (grpc would quietly pick 80 or 443) or with
     *     one outside 1 to 65535 ({@code "target 'localhost:99999' has port 99999: a port must be
     *     from 1 to 65535"}), an IPv6 address without brackets, or a URI whose scheme no gRPC name
     *     resolver handles
     */
    public Builder target(String target) {
      Objects.requireNonNull(target, "target");
      if (target.isBlank() || target.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("target must be host:port or a gRPC target: '" + target + "'");
      }
      Targets.check(target);
      this.target = target;
      return this;
    }

    /**
     * Several servers, each {@code "host:port"} (IPv6 as {@code "[::1]:1234"}): calls and sessions
     * are spread over them round-robin, and a server that goes away is skipped until it is back.
     * Host names are looked up when the client connects, and again after connection failures.
     *
     * @param hostPorts one or more {@code "host:port"}
     * @return this builder
     * @throws IllegalArgumentException naming the first address that is not host:port with a port
     *     from 1 to 65535, and what to write instead
     */
    public Builder addresses(String... hostPorts) {
      Objects.requireNonNull(hostPorts, "hostPorts");
      if (hostPorts.length == 0) {
        throw new IllegalArgumentException("addresses needs at least one host:port");
      }
      for (String address : hostPorts) {
        HostPort.parse(Objects.requireNonNull(address, "address"));
      }
      this.addresses = List.copyOf(Arrays.asList(hostPorts));
      return this;
    }

    /**
     * A server in this JVM started with {@code HelloServer.builder().inProcess(name)}.
     *
     * @param name the server's in-process name
     * @return this builder
     */
    public Builder inProcess(String name) {
      this.inProcessName = Settings.notBlank("in-process name", name);
      return this;
    }

    /**
     * How long {@code hello()} waits before failing with DEADLINE_EXCEEDED. Default 10 seconds.
     *
     * @param deadline more than zero
     * @return this builder
     */
    public Builder helloDeadline(Duration deadline) {
      this.helloDeadline = Settings.positive("helloDeadline", deadline);
      return this;
    }

    /**
     * How long a chat session may last before it ends with DEADLINE_EXCEEDED. Default: no limit.
     *
     * @param deadline more than zero
     * @return this builder
     */
    public Builder chatDeadline(Duration deadline) {
      this.chatDeadline = Settings.positive("chatDeadline", deadline);
      return this;
    }

    /**
     * Ends a chat session that has had no message in either direction for this long, with
     * {@code DEADLINE_EXCEEDED} ("the session was idle for ..."); the server sees it cancelled.
     * Default: no limit.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder chatIdleTimeout(Duration timeout) {
      this.chatIdleTimeout = Settings.positive("chatIdleTimeout", timeout);
      return this;
    }

    /**
     * Retries {@code hello()} and {@code helloAsync()} that fail with {@code UNAVAILABLE}, up to
     * this many attempts in all (at most 5), with exponential backoff from 100 ms to 1 s, all
     * within {@code helloDeadline}. Chat sessions are never retried. Default 1: no retries.
     *
     * @param attempts from 1 to 5
     * @return this builder
     */
    public Builder helloMaxAttempts(int attempts) {
      if (attempts < 1 || attempts > MAX_HELLO_ATTEMPTS) {
        throw new IllegalArgumentException(
            "helloMaxAttempts must be between 1 and " + MAX_HELLO_ATTEMPTS + ": " + attempts);
      }
      this.helloMaxAttempts = attempts;
      return this;
    }

    /**
     * With true, calls and sessions started while no server is reachable wait for one (up to their
     * deadline) instead of failing at once with {@code UNAVAILABLE}. Default false.
     *
     * @param wait true to wait for a reachable server
     * @return this builder
     */
    public Builder waitForReady(boolean wait) {
      this.waitForReady = wait;
      return this;
    }

    /**
     * The most replies a session buffers before it stops reading from the server. Default 256.
     * A session's memory is bounded by this times {@code maxMessageSize}.
     *
     * @param messages at least 1
     * @return this builder
     */
    public Builder receiveBufferSize(int messages) {
      this.receiveBufferSize = Settings.atLeastOne("receiveBufferSize", messages, "");
      return this;
    }

    /**
     * The largest message, in encoded bytes, sent or accepted. Default 4 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = Settings.atLeastOne("maxMessageSize", bytes, "byte");
      return this;
    }

    /**
     * The most calls and sessions the client opens on one connection to a server; beyond them it
     * opens another connection, so that no session waits for another to end. Default 1000, what a
     * HelloServer allows by default ({@code maxConcurrentCallsPerConnection}); for a server that
     * allows fewer (HTTP/2 {@code MAX_CONCURRENT_STREAMS}, such as nginx's 128), set at most its
     * limit, or sessions beyond it wait on that connection until others end.
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
     * How long {@link HelloClient#close()} lets calls and sessions in flight finish before it
     * cancels them. Default 5 seconds.
     *
     * @param grace zero or more
     * @return this builder
     */
    public Builder shutdownGracePeriod(Duration grace) {
      this.shutdownGracePeriod = Settings.notNegative("shutdownGracePeriod", grace);
      return this;
    }

    /**
     * Where {@link ChatListener} callbacks and {@code helloAsync} completions run. Default: a pool
     * the client owns and shuts down on close. The client never shuts down an executor given here.
     * Callbacks run on a transport thread only if this executor runs them there (a direct executor
     * such as {@code Runnable::run}): then they must never block.
     *
     * @param executor runs listeners and completions
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Connects with TLS, trusting the JVM's default certificate authorities. Handshakes that fail
     * end calls with {@code UNAVAILABLE} saying why, as for {@link #trustedCertificates(Path)}.
     *
     * @return this builder
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /**
     * Connects with TLS, trusting only these CA certificates (PEM) instead of the JVM's: for a
     * private CA. Read at once. A server whose certificate none of them issued fails calls and
     * sessions with {@code UNAVAILABLE} "TLS handshake failed: the server's certificate is not
     * trusted by the configured CA ..."; one whose certificate does not name the target's host,
     * with "... (hostname mismatch) ...".
     *
     * @param caCertificates a PEM file of CA certificates
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read or is not PEM, naming it
     */
    public Builder trustedCertificates(Path caCertificates) {
      this.trustedCertificates = Pem.read("trusted certificates", caCertificates);
      this.trustedCertificatesFile = caCertificates;
      this.trustedCertificatesSupplier = null;
      this.tls = true;
      return this;
    }

    /**
     * As {@link #trustedCertificates(Path)}, reading the stream to its end now.
     *
     * @param caCertificates PEM CA certificates
     * @return this builder
     */
    public Builder trustedCertificates(InputStream caCertificates) {
      this.trustedCertificates = Pem.read("trusted certificates", caCertificates);
      this.trustedCertificatesFile = null;
      this.trustedCertificatesSupplier = null;
      this.tls = true;
      return this;
    }

    /**
     * As {@link #trustedCertificates(Path)}, with the CA certificates (PEM text) that
     * {@code caCertificates} gives, for applications that fetch them themselves. It is asked at
     * {@link #build()}, and then every {@link #reloadCertificates} interval, which must be set;
     * new connections trust what it gives when that changed. Return what you hold; fetch
     * elsewhere.
     *
     * <p>At {@code build()}, a supplier that throws, returns null or gives no certificate fails it
     * with {@code IllegalArgumentException}; later, it is refused with a {@code WARNING} and the
     * certificates in use stay.
     *
     * @param caCertificates gives PEM CA certificates, each time it is asked
     * @return this builder
     */
    public Builder trustedCertificates(Supplier<String> caCertificates) {
      this.trustedCertificatesSupplier = Objects.requireNonNull(caCertificates, "caCertificates");
      this.trustedCertificates = null;
      this.trustedCertificatesFile = null;
      this.tls = true;
      return this;
    }

    /**
     * Connects with TLS and presents this certificate chain (PEM, the client's certificate first)
     * and private key (PEM, unencrypted PKCS#8: {@code BEGIN PRIVATE KEY}; RSA or EC), for servers
     * that require client certificates (mutual TLS). Read and checked at once. Without one such a
     * server fails calls with {@code UNAVAILABLE} "TLS handshake failed: the server requires a
     * client certificate (mutual TLS) ...".
     *
     * @param certificateChain a PEM file: the client's certificate, then any intermediates
     * @param privateKey a PEM file: the certificate's private key
     * @return this builder
     * @throws IllegalArgumentException naming the file and what to do, if a file cannot be read or
     *     is not PEM; if the key does not match the first certificate ("client private key ...
     *     does not match the certificate ..."); if the key is PKCS#1 ({@code BEGIN RSA PRIVATE
     *     KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}): the message gives the {@code openssl pkcs8
     *     -topk8 -nocrypt} command that converts it; or if it is encrypted, which is not supported
     */
    public Builder clientCertificate(Path certificateChain, Path privateKey) {
      byte[] chain = Pem.read("client certificate chain", certificateChain);
      byte[] key = Pem.read("client private key", privateKey);
      TlsIdentity.check(
          "client certificate chain " + certificateChain, chain,
          "client private key " + privateKey, key, privateKey);
      this.certificateChain = chain;
      this.privateKey = key;
      this.certificateChainFile = certificateChain;
      this.privateKeyFile = privateKey;
      this.clientCertificateSupplier = null;
      this.tls = true;
      return this;
    }

    /**
     * As {@link #clientCertificate(Path, Path)}, reading both streams to their end now.
     *
     * @param certificateChain PEM: the client's certificate, then any intermediates
     * @param privateKey PEM: the certificate's private key
     * @return this builder
     */
    public Builder clientCertificate(InputStream certificateChain, InputStream privateKey) {
      byte[] chain = Pem.read("client certificate chain", certificateChain);
      byte[] key = Pem.read("client private key", privateKey);
      TlsIdentity.check("client certificate chain", chain, "client private key", key, null);
      this.certificateChain = chain;
      this.privateKey = key;
      this.certificateChainFile = null;
      this.privateKeyFile = null;
      this.clientCertificateSupplier = null;
      this.tls = true;
      return this;
    }

    /**
     * As {@link #clientCertificate(Path, Path)}, with the certificate chain and key that
     * {@code certificateAndKey} gives, for applications that fetch their certificates themselves.
     * It is asked at {@link #build()}, and then every {@link #reloadCertificates} interval, which
     * must be set; new connections present what it gives when that changed. Return what you hold;
     * fetch elsewhere.
     *
     * <p>At {@code build()}, a supplier that throws, returns null or gives an unusable pair fails
     * it with {@code IllegalArgumentException}; later, it is refused with a {@code WARNING} and the
     * pair in use stays.
     *
     * @param certificateAndKey gives the certificate chain and key, each time it is asked
     * @return this builder
     */
    public Builder clientCertificate(Supplier<CertificateAndKey> certificateAndKey) {
      this.clientCertificateSupplier =
          Objects.requireNonNull(certificateAndKey, "certificateAndKey");
      this.certificateChain = null;
      this.privateKey = null;
      this.certificateChainFile = null;
      this.privateKeyFile = null;
      this.tls = true;
      return this;
    }

    /**
     * Looks every {@code checkEvery} for new TLS material and uses it for new connections, without
     * rebuilding the client: the files given to {@link #trustedCertificates(Path)} and
     * {@link #clientCertificate(Path, Path)}, read again (following symlinks, so that a Kubernetes
     * secret volume's swap is seen whole), or the suppliers, asked again. The client's next
     * connection to a server (a reconnection, or another connection for more sessions) presents and
     * trusts what changed; connections already open, and their sessions, go on as they started.
     * Material given as a stream cannot be read again and stays as it is.
     *
     * <p>New material is checked as the setters check it: a certificate and a key that do not
     * belong together, a file cut short or being written, or one that is not PEM, is refused with a
     * {@code WARNING} on the logger {@code io.hellogrpc.client} that says why, and the material in
     * use stays until the files change again. Each change in use is logged at {@code INFO}. Replace
     * a certificate and its key together: write them elsewhere and move them into place, or swap a
     * symlink, as cert-manager and Kubernetes do.
     *
     * <p>One daemon thread per client does the checks, until it is closed. Every minute is usual.
     * Default: never; the material read at build is used until the client closes.
     *
     * @param checkEvery how often; more than zero
     * @return this builder
     */
    public Builder reloadCertificates(Duration checkEvery) {
      this.reloadCertificates = Settings.positive("reloadCertificates", checkEvery);
      return this;
    }

    /**
     * Sends {@code authorization: Bearer <token>} with every call and session. Only over TLS (or
     * in-process) unless {@link #allowTokenOverPlaintext()}: a token in the clear is a token given
     * away.
     *
     * @param token sent with every call
     * @return this builder
     */
    public Builder token(String token) {
      Tokens.check(token);
      this.token = () -> token;
      this.tokenIsFixed = true;
      return this;
    }

    /**
     * As {@link #token(String)}, asking {@code tokens} for the token as each call or session
     * starts, on the callback executor: return a cached token and refresh it elsewhere. A supplier
     * that throws or returns null fails that call with {@code UNAUTHENTICATED}.
     *
     * @param tokens asked for a token as each call starts
     * @return this builder
     */
    public Builder token(Supplier<String> tokens) {
      this.token = Objects.requireNonNull(tokens, "tokens");
      this.tokenIsFixed = false;
      return this;
    }

    /**
     * Lets {@link #token} go over a connection without TLS: only for networks you trust, such as
     * a service mesh whose sidecars encrypt between pods.
     *
     * @return this builder
     */
    public Builder allowTokenOverPlaintext() {
      this.allowTokenOverPlaintext = true;
      return this;
    }

    /**
     * A request header sent with every call and session, such as {@code header("x-tenant",
     * "acme")}; handlers read it with {@code Caller.header(name)} or
     * {@code ServerSession.header(name)}. Setting a name again replaces its value;
     * {@link CallSettings} can replace it for one call.
     *
     * <p>A name is lowercase {@code a-z 0-9 - _ .}, not ending in {@code -bin} (that is
     * {@link #binaryHeader}'s); a value is visible ASCII and spaces. Refused because gRPC, HTTP/2
     * or this library set them: names starting with {@code :} or {@code grpc-}, {@code te},
     * {@code content-type}, {@code content-length}, {@code content-encoding},
     * {@code accept-encoding}, {@code user-agent} (grpc sends its own), {@code host},
     * {@code connection}, {@code keep-alive}, {@code proxy-connection},
     * {@code transfer-encoding}, {@code upgrade}, and {@code authorization} (use {@link #token},
     * which sends it over TLS only).
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException naming the header and what is wrong with it
     */
    public Builder header(String name, String value) {
      RequestHeaders.checkAscii(name, value);
      headers.put(name, value);
      return this;
    }

    /**
     * A binary request header sent with every call and session; its name ends in {@code -bin},
     * and gRPC base64-encodes it on the wire. Handlers read the bytes with
     * {@code Caller.binaryHeader(name)}. The array is copied. Otherwise as {@link #header}.
     *
     * @param name the header name
     * @param value its bytes
     * @return this builder
     * @throws IllegalArgumentException naming the header and what is wrong with it
     */
    public Builder binaryHeader(String name, byte[] value) {
      headers.put(name, RequestHeaders.checkBinary(name, value));
      return this;
    }

    /**
     * Pings the server after the connection has been quiet this long, so long-lived sessions
     * survive proxies and load balancers that drop idle connections, and a dead server is noticed.
     * At least 10 seconds; servers refuse pings more frequent than they permit (a HelloServer
     * permits one per 20 seconds by default, other gRPC servers often one per 5 minutes). Default:
     * no pings.
     *
     * @param time at least 10 seconds
     * @return this builder
     */
    public Builder keepAliveTime(Duration time) {
      Objects.requireNonNull(time, "keepAliveTime");
      if (time.compareTo(Duration.ofSeconds(10)) < 0) {
        throw new IllegalArgumentException("keepAliveTime must be at least 10 seconds: " + time);
      }
      this.keepAliveTime = time;
      return this;
    }

    /**
     * How long to wait for the answer to a keepalive ping before the connection is considered
     * dead and its sessions end with {@code UNAVAILABLE}. Default 20 seconds.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = Settings.positive("keepAliveTimeout", timeout);
      return this;
    }

    /**
     * Creates the client. It connects lazily, on the first call.
     *
     * @return the client, not connected yet
     * @throws IllegalStateException if the settings contradict each other (the message says which)
     * @throws IllegalArgumentException if a supplier given for TLS material throws, returns null or
     *     gives what the setter for files would refuse, saying why
     */
    public HelloClient build() {
      int ways = (target != null ? 1 : 0) + (addresses != null ? 1 : 0) + (inProcessName != null ? 1 : 0);
      if (ways != 1) {
        throw new IllegalStateException(
            ways == 0
                ? "set target(\"host:port\"), addresses(...) or inProcess(name) before build()"
                : describeWays() + " are alternatives: set one");
      }
      if (tls && inProcessName != null) {
        throw new IllegalStateException(
            "TLS settings need target(...) or addresses(...): an in-process channel has no"
                + " transport to secure");
      }
      if (token != null && !tls && inProcessName == null && !allowTokenOverPlaintext) {
        throw new IllegalStateException(
            "token(...) would be sent in plaintext to "
                + (target != null ? "'" + target + "'" : addresses)
                + ": use tls() or trustedCertificates(...), or allowTokenOverPlaintext() on a"
                + " trusted network");
      }
      ClientConfig.Reload reload = reload();
      return new RealHelloClient(
          ClientObservers.of(eventListener, openTelemetry, target, addresses),
          new ClientConfig(
              target,
              addresses,
              inProcessName,
              helloDeadline,
              chatDeadline,
              chatIdleTimeout,
              helloMaxAttempts,
              waitForReady,
              receiveBufferSize,
              maxMessageSize,
              maxConcurrentCallsPerConnection,
              callbackExecutor,
              tls ? tlsConfig(reload) : null,
              token,
              tokenIsFixed,
              allowTokenOverPlaintext,
              keepAliveTime,
              keepAliveTimeout,
              shutdownGracePeriod,
              RequestHeaders.of(headers)));
    }

    /**
     * How the TLS material is reloaded, or null if it is not.
     *
     * @throws IllegalStateException if reloading is asked for without anything to reload, or a
     *     supplier is given without reloading
     */
    private ClientConfig.Reload reload() {
      if (reloadCertificates == null) {
        if (trustedCertificatesSupplier != null || clientCertificateSupplier != null) {
          throw new IllegalStateException(
              (trustedCertificatesSupplier != null ? "trustedCertificates" : "clientCertificate")
                  + "(Supplier) needs reloadCertificates(checkEvery): how often to ask it again;"
                  + " for material that never changes, give it as Path or stream");
        }
        return null;
      }
      if (trustedCertificatesFile == null
          && trustedCertificatesSupplier == null
          && certificateChainFile == null
          && clientCertificateSupplier == null) {
        throw new IllegalStateException(
            "reloadCertificates(" + reloadCertificates + ") reads files again, but no"
                + " trustedCertificates(...) or clientCertificate(...) was given as Path or"
                + " Supplier (streams cannot be read again)");
      }
      return new ClientConfig.Reload(
          reloadCertificates,
          trustedCertificatesFile,
          trustedCertificatesSupplier,
          certificateChainFile,
          privateKeyFile,
          clientCertificateSupplier);
    }

    /** The TLS material, asking the suppliers if there are any. */
    private ClientConfig.Tls tlsConfig(ClientConfig.Reload reload) {
      byte[] trusted = trustedCertificates;
      if (trustedCertificatesSupplier != null) {
        String what = ClientConfig.Reload.TRUST_SUPPLIER;
        trusted = PemReload.ascii(PemReload.ask(what, trustedCertificatesSupplier));
        TlsIdentity.certificates(what + "'s certificates", trusted);
      }
      byte[] chain = certificateChain;
      byte[] key = privateKey;
      if (clientCertificateSupplier != null) {
        String what = ClientConfig.Reload.CERTIFICATE_SUPPLIER;
        CertificateAndKey first = PemReload.ask(what, clientCertificateSupplier);
        chain = PemReload.ascii(first.certificateChain());
        key = PemReload.ascii(first.privateKey());
        TlsIdentity.check(
            what + "'s certificate chain", chain, what + "'s private key", key, null);
      }
      return new ClientConfig.Tls(trusted, chain, key, reload);
    }

    private String describeWays() {
      StringBuilder ways = new StringBuilder();
      if (target != null) {
        ways.append("target(\"").append(target).append("\")");
      }
      if (addresses != null) {
        ways.append(ways.length() > 0 ? " and " : "").append("addresses(").append(addresses).append(")");
      }
      if (inProcessName != null) {
        ways.append(" and inProcess(\"").append(inProcessName).append("\")");
      }
      return ways.toString();
    }


    /**
     * Tells {@code listener} about every session and {@code Hello} of the client: see
     * {@link HelloEventListener} for the events, the threads they run on and what they cost.
     * Default: none, and then the client does none of this work.
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
     * metrics ({@code grpc.client.attempt.duration}, {@code grpc.client.call.duration}, ...), the
     * library's own ({@code hello.client.*}: open sessions, session duration by status, messages,
     * time senders waited on flow control, receive-buffer fill, {@code Hello} duration by status),
     * and a CLIENT span per {@code Hello} and per session, the child of the span current where the
     * call starts. The span's context goes to the server in the call's headers (W3C
     * {@code traceparent}, or the application's own propagators), so the server's spans join the
     * same trace. The README lists them.
     *
     * <p>OpenTelemetry is an optional dependency: an application that never calls this needs no
     * OpenTelemetry on its class path, and the client loads none of its classes. One that does needs
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
