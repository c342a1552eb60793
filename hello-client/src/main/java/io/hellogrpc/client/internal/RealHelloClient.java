package io.hellogrpc.client.internal;

import static io.hellogrpc.api.internal.Durations.saturatedNanos;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.Admission;
import io.hellogrpc.api.internal.CertificateWatch;
import io.hellogrpc.api.internal.DaemonThreads;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.OutboundMessages;
import io.hellogrpc.api.internal.Settings;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.client.CallSettings;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

public final class RealHelloClient implements HelloClient {

  /**
   * After the grace period and the cancellations, how long the channel gets to stop and listeners
   * get to run their end callbacks.
   */
  private static final long FINAL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final ClientConfig config;
  private final ConnectionPool connections;
  private final ClientEventLoops eventLoops; // null in-process
  private final Executor callbackExecutor;
  private final ScheduledThreadPoolExecutor timer; // close() deadlines, idle checks, start sweeps
  private final IdleTimeout idleTimeout; // null without a chatIdleTimeout
  private final CallOptions callOptions;
  private final Admission admission = new Admission(); // calls in until close()
  private final OpenSessions openSessions = new OpenSessions();
  private final StartWatch startWatch; // reports sessions whose stream does not start
  private final RealChatSession.Settings sessionSettings;
  private final CertificateWatch certificateWatch; // null unless certificates are reloaded

  public RealHelloClient(ClientConfig config) {
    this(null, config);
  }

  /** @param observers the listener and OpenTelemetry, or null for neither */
  public RealHelloClient(ClientObservers observers, ClientConfig config) {
    this(observers, config, StartWatch.PATIENCE);
  }

  /** With how long a session may wait for its stream before the client says so: for tests. */
  RealHelloClient(ClientConfig config, Duration startPatience) {
    this(null, config, startPatience);
  }

  private RealHelloClient(ClientObservers observers, ClientConfig config, Duration startPatience) {
    this.config = config;
    // First: TLS material grpc cannot use fails here, before any thread starts.
    ClientTls tls = config.inProcessName() == null ? ClientTls.of(config.tls()) : null;
    this.eventLoops =
        tls == null
            ? null
            : ClientEventLoops.forAddresses(
                config.addresses() == null ? 1 : config.addresses().size());
    try {
      this.connections =
          new ConnectionPool(
              () -> channelFor(config, tls, eventLoops, observers),
              config.maxConcurrentCallsPerConnection());
    } catch (RuntimeException | Error e) {
      if (eventLoops != null) {
        eventLoops.shutdown(); // settings grpc refused: the loop made for them has no channel
      }
      throw e;
    }
    this.callbackExecutor =
        config.callbackExecutor() != null ? config.callbackExecutor() : CallbackPool.shared();
    // Its one thread starts with the first task: the start watch's sweeps, from the first session
    // until close(); a session that ends takes its own tasks along.
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("hello-client-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.idleTimeout =
        config.chatIdleTimeout() == null ? null : new IdleTimeout(config.chatIdleTimeout(), timer);
    this.callOptions = callOptionsFor(config, callbackExecutor);
    this.sessionSettings =
        new RealChatSession.Settings(
            config.receiveBufferSize(),
            config.maxMessageSize(),
            callbackExecutor,
            timer,
            RealChatSession.CLOSE_GRACE,
            config.chatDeadline(),
            openSessions::remove,
            observers);
    this.startWatch =
        new StartWatch(timer, startPatience, config.maxConcurrentCallsPerConnection(), openSessions);
    this.certificateWatch = tls == null ? null : tls.startWatch();
  }

  /** A channel; {@code tls} and {@code eventLoops} are null in-process. */
  private static ManagedChannel channelFor(
      ClientConfig config, ClientTls tls, ClientEventLoops eventLoops, ClientObservers observers) {
    ManagedChannelBuilder<?> builder =
        tls == null
            ? InProcessChannelBuilder.forName(config.inProcessName())
            : nettyFor(config, tls.credentials(), eventLoops);
    if (observers != null) {
      builder.intercept(observers.helloInterceptor());
      observers.configure(builder);
    }
    if (config.helloMaxAttempts() > 1) {
      builder.enableRetry().maxRetryAttempts(config.helloMaxAttempts());
    } else {
      // Retry support wraps every call, streams included; without unary retries it only costs.
      builder.disableRetry();
    }
    return builder
        // Transport callbacks only hand messages to a session's queue and never block; whatever
        // runs application code (listeners, futures) is dispatched to the callback executor.
        .directExecutor()
        .maxInboundMessageSize(config.maxMessageSize())
        .defaultServiceConfig(ServiceConfig.of(config.helloMaxAttempts()))
        .build();
  }

  private static NettyChannelBuilder nettyFor(
      ClientConfig config, ChannelCredentials credentials, ClientEventLoops eventLoops) {
    String target =
        config.addresses() != null
            ? AddressListResolverProvider.target(config.addresses())
            : config.target();
    NettyChannelBuilder netty;
    try {
      netty = NettyChannelBuilder.forTarget(target, credentials);
    } catch (IllegalArgumentException e) { // grpc's word for TLS material it cannot use
      throw new IllegalStateException(
          "trustedCertificates(...) or clientCertificate(...) is not usable: " + e.getMessage(), e);
    }
    // Netty's default allocator (adaptive in Netty 4.2) instead of grpc's pooled one, which gives
    // threads other than event loops no cache: every send from an application thread, whose
    // message grpc frames into a buffer on that thread, took the pool's locks to allocate it and
    // again when the event loop freed it; about a tenth of the client's CPU in the stream benchmark.
    netty.withOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT);
    netty
        .eventLoopGroup(eventLoops.forNewChannel())
        .channelType(ClientEventLoops.socketType(), InetSocketAddress.class);
    if (config.keepAliveTime() != null) {
      netty.keepAliveTime(saturatedNanos(config.keepAliveTime()), TimeUnit.NANOSECONDS);
    }
    if (config.keepAliveTimeout() != null) {
      netty.keepAliveTimeout(saturatedNanos(config.keepAliveTimeout()), TimeUnit.NANOSECONDS);
    }
    return netty;
  }

  /** What every call and session starts from: the token and waitForReady. */
  private static CallOptions callOptionsFor(ClientConfig config, Executor tokenSupplierExecutor) {
    CallOptions options = CallOptions.DEFAULT;
    if (config.token() != null) {
      options =
          options.withCallCredentials(
              new BearerToken(
                  config.token(),
                  config.tokenIsFixed(),
                  config.allowTokenOverPlaintext(),
                  tokenSupplierExecutor));
    }
    return config.waitForReady() ? options.withWaitForReady() : options;
  }

  @Override
  public String hello(String name) {
    return hello(name, config.helloDeadline(), config.headers());
  }

  @Override
  public String hello(String name, Duration deadline) {
    return hello(name, Settings.positive("deadline", deadline), config.headers());
  }

  @Override
  public String hello(String name, CallSettings settings) {
    checkForHello(settings);
    return hello(
        name, settings.deadline().orElse(config.helloDeadline()), headersWith(settings));
  }

  private String hello(String name, Duration deadline, RequestHeaders headers) {
    enter();
    try {
      return helloAdmitted(name, deadline, headers);
    } finally {
      admission.leave(); // ended
    }
  }

  private String helloAdmitted(String name, Duration deadline, RequestHeaders headers) {
    OutboundMessages.check(name, config.maxMessageSize());
    ConnectionPool.Lease lease = connections.acquire();
    try {
      return ClientCalls.blockingUnaryCall(
          withHeaders(lease.channel(), headers), HelloMethods.HELLO, helloOptions(deadline), name);
    } catch (StatusRuntimeException e) {
      throw Statuses.toException(e.getStatus());
    } finally {
      lease.release();
    }
  }

  /** grpc's blocking call starts with no headers of ours: they are attached on the way. */
  private static Channel withHeaders(Channel channel, RequestHeaders headers) {
    return headers.isEmpty()
        ? channel
        : ClientInterceptors.intercept(
            channel, MetadataUtils.newAttachHeadersInterceptor(headers.toMetadata()));
  }

  @Override
  public CompletableFuture<String> helloAsync(String name) {
    return helloAsync(name, config.helloDeadline(), config.headers());
  }

  @Override
  public CompletableFuture<String> helloAsync(String name, CallSettings settings) {
    checkForHello(settings);
    return helloAsync(
        name, settings.deadline().orElse(config.helloDeadline()), headersWith(settings));
  }

  private CompletableFuture<String> helloAsync(
      String name, Duration deadline, RequestHeaders headers) {
    enter();
    try {
      return helloAsyncAdmitted(name, deadline, headers);
    } finally {
      admission.leave(); // started: the channel's shutdown covers it from here
    }
  }

  private CompletableFuture<String> helloAsyncAdmitted(
      String name, Duration deadline, RequestHeaders headers) {
    OutboundMessages.check(name, config.maxMessageSize());
    ConnectionPool.Lease lease = connections.acquire();
    ClientCall<String, String> call =
        lease
            .channel()
            .newCall(HelloMethods.HELLO, helloOptions(deadline).withExecutor(callbackExecutor));
    CompletableFuture<String> reply = new CompletableFuture<>();
    reply.whenComplete((value, failure) -> lease.release());
    call.start(new UnaryReplyListener(reply), headers.toMetadata());
    call.request(2); // one reply; a second would be a protocol error grpc reports for us
    call.sendMessage(name);
    call.halfClose();
    reply.whenComplete(
        (value, failure) -> {
          if (failure instanceof CancellationException) {
            call.cancel("helloAsync future was cancelled", null);
          }
        });
    return reply;
  }

  private static void checkForHello(CallSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.idleTimeout().isPresent()) {
      throw new IllegalArgumentException(
          "idleTimeout(" + settings.idleTimeout().get() + ") is for chat sessions: hello takes a"
              + " deadline and headers only");
    }
  }

  /** The client's headers, with the call's replacing those of the same name. */
  private RequestHeaders headersWith(CallSettings settings) {
    return config.headers().overriddenBy(CallSettingsAccess.headers(settings));
  }

  @Override
  public ChatSession openChat() {
    return open(null, null);
  }

  @Override
  public ChatSession openChat(ChatListener listener) {
    return open(null, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public ChatSession openChat(CallSettings settings) {
    return open(Objects.requireNonNull(settings, "settings"), null);
  }

  @Override
  public ChatSession openChat(CallSettings settings, ChatListener listener) {
    return open(
        Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(listener, "listener"));
  }

  private ChatSession open(CallSettings settings, ChatListener listener) {
    enter();
    try {
      return openAdmitted(settings, listener);
    } finally {
      admission.leave(); // started, and among the open sessions
    }
  }

  /** @param settings the session's own, or null for the client's */
  private ChatSession openAdmitted(CallSettings settings, ChatListener listener) {
    RealChatSession.Opening opening = RealChatSession.Opening.of(sessionSettings);
    IdleTimeout idle = idleTimeout;
    if (settings != null) {
      opening =
          new RealChatSession.Opening(
              settings.deadline().orElse(config.chatDeadline()),
              settings.deadline().isPresent() ? "deadline" : "chatDeadline",
              headersWith(settings));
      if (settings.idleTimeout().isPresent()) {
        idle = new IdleTimeout(settings.idleTimeout().get(), "idleTimeout", timer, System::nanoTime);
      }
    } else if (!config.headers().isEmpty()) {
      opening = new RealChatSession.Opening(config.chatDeadline(), "chatDeadline", config.headers());
    }
    CallOptions options = callOptions;
    if (opening.deadline() != null) {
      options =
          options.withDeadlineAfter(saturatedNanos(opening.deadline()), TimeUnit.NANOSECONDS);
    }
    RealChatSession.Opening chosen = opening;
    ConnectionPool.Lease lease = connections.acquire();
    if (idle != null) {
      return idle.open(lease.channel(), options, call -> open(call, listener, lease, chosen));
    }
    return open(lease.channel().newCall(HelloMethods.CHANNEL, options), listener, lease, chosen);
  }

  private ChatSession open(
      ClientCall<String, String> call,
      ChatListener listener,
      ConnectionPool.Lease lease,
      RealChatSession.Opening opening) {
    RealChatSession session = RealChatSession.create(sessionSettings, call, listener, opening);
    openSessions.add(session, lease);
    session.start();
    startWatch.watch();
    return session;
  }

  /**
   * Done when every session has ended, each listener had its end callback, and the channels have
   * stopped. grpc's channel may terminate before a session ends: a call whose replies still wait
   * in grpc (the receive buffer was full) delivers its end only once they are read, so the
   * channel's termination alone says nothing about sessions.
   */
  @Override
  public void close() {
    if (!admission.close()) {
      return;
    }
    if (certificateWatch != null) {
      certificateWatch.close(); // no new connection will need a certificate
    }
    connections.shutdown();
    boolean interrupted = false;
    try {
      long deadline = System.nanoTime() + saturatedNanos(config.shutdownGracePeriod());
      // Calls let in before close() have started once they left (a blocking hello() has ended),
      // so the sessions counted next are all there will be.
      boolean finished =
          admission.awaitOthersLeft(deadline)
              && openSessions.awaitEmpty(deadline - System.nanoTime())
              && connections.awaitTermination(deadline);
      if (!finished) {
        cancelOpenSessions();
        connections.shutdownNow();
        admission.awaitOthersLeft(System.nanoTime() + FINAL_WAIT_NANOS);
        cancelOpenSessions(); // any that started meanwhile
        connections.awaitTermination(System.nanoTime() + FINAL_WAIT_NANOS);
        openSessions.awaitEmpty(FINAL_WAIT_NANOS);
      }
    } catch (InterruptedException e) {
      cancelOpenSessions();
      connections.shutdownNow();
      interrupted = true;
    } finally {
      // Now if every call let in has left, else as the last one leaves (this thread's own, when
      // close() is called from inside a call): no call meets a stopped loop or timer.
      boolean stoppedNow = admission.whenAllLeft(this::stopThreads);
      if (interrupted) {
        Thread.currentThread().interrupt(); // and no waiting: the caller asked not to
      } else if (stoppedNow && eventLoops != null) {
        awaitLoops();
      }
    }
  }

  /** The client's own threads: its event loops and its timer. */
  private void stopThreads() {
    if (eventLoops != null) {
      eventLoops.shutdown();
    }
    timer.shutdownNow(); // every session has ended: nothing left to watch or cancel
  }

  private void awaitLoops() {
    try {
      eventLoops.awaitTermination(System.nanoTime() + FINAL_WAIT_NANOS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Says why, before grpc's shutdownNow could end them UNAVAILABLE as if the server went. */
  private void cancelOpenSessions() {
    for (RealChatSession session : openSessions.snapshot()) {
      session.cancel("the HelloClient was closed", null);
    }
  }

  private CallOptions helloOptions(Duration deadline) {
    return callOptions.withDeadlineAfter(saturatedNanos(deadline), TimeUnit.NANOSECONDS);
  }

  /** Lets a call in, or says the client is closed. Each call that got in must leave. */
  private void enter() {
    if (!admission.enter()) {
      throw new IllegalStateException("the HelloClient is closed");
    }
  }

  /** Completes a future with the one reply of a unary call, or with why there was none. */
  private static final class UnaryReplyListener extends ClientCall.Listener<String> {
    private final CompletableFuture<String> reply;
    private String value;

    UnaryReplyListener(CompletableFuture<String> reply) {
      this.reply = reply;
    }

    @Override
    public void onMessage(String message) {
      value = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!status.isOk()) {
        reply.completeExceptionally(Statuses.toException(status));
      } else if (value == null) {
        reply.completeExceptionally(
            new HelloException(StatusCode.INTERNAL, "the server completed Hello without a reply"));
      } else {
        reply.complete(value);
      }
    }
  }
}
