package io.hellogrpc.client.internal;

import static io.hellogrpc.api.internal.Durations.saturatedNanos;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.OutboundGate;
import io.hellogrpc.api.internal.Probe;
import io.hellogrpc.api.internal.SerialPump;
import io.hellogrpc.api.internal.SessionCore;
import io.hellogrpc.api.internal.SessionEnd;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link ChatSession} over one grpc {@link ClientCall}. */
final class RealChatSession extends SessionCore implements ChatSession {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");
  /** How long {@link #close()} lets the server finish before it cancels. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  private final ClientCall<String, String> call;
  private final ChatListener listener; // null: replies are pulled
  private final SerialPump pump; // null: replies are pulled
  private final ScheduledExecutorService timer;
  private final Duration closeGrace;
  private final Duration deadline; // null: none
  private final String deadlineSetting; // its name, for the description of its end
  private final Consumer<RealChatSession> onDone;
  private final AtomicBoolean closedByApplication = new AtomicBoolean();
  private volatile boolean dropReplies; // cancel() or a listener that threw: no more onMessage
  private boolean endDelivered; // confined to the pump
  private volatile Future<?> closeDeadline; // set by close(), cancelled by the end
  private volatile boolean started; // the transport said ready once: the stream exists
  private final long createdNanos = System.nanoTime(); // for StartWatch
  private boolean startReported; // confined to StartWatch's sweeps, which never overlap
  private final ReadyCallbacks readyCallbacks;
  private volatile PublishedReplies published; // replies go to a Flow.Subscriber; null: they don't
  private static final AtomicReferenceFieldUpdater<RealChatSession, PublishedReplies> PUBLISHED =
      AtomicReferenceFieldUpdater.newUpdater(
          RealChatSession.class, PublishedReplies.class, "published");
  private final AtomicBoolean doneReported = new AtomicBoolean();
  private final Executor callbackExecutor;
  private final Metadata headers; // the request headers, and the trace context when observed
  private final Probe probe; // null: nothing observes the client

  private RealChatSession(
      Settings settings,
      ClientCall<String, String> call,
      ChatListener listener,
      Opening opening,
      Metadata headers,
      Probe probe) {
    super(
        settings.receiveBufferSize,
        settings.maxMessageSize,
        call::request,
        OutboundGate.Transport.of(call::isReady, call::sendMessage),
        HeldBytes.NONE,
        probe);
    this.headers = headers;
    this.probe = probe;
    if (probe != null) {
      probe.counts(this::sentCount, this::receivedCount);
      probe.buffer(inbound);
    }
    this.call = call;
    this.listener = listener;
    this.pump =
        listener == null
            ? null
            : new SerialPump(
                settings.callbackExecutor, this::deliverToListener, this::onCallbackRejected);
    this.timer = settings.timer;
    this.closeGrace = settings.closeGrace;
    this.deadline = opening.deadline();
    this.deadlineSetting = opening.deadlineSetting();
    this.onDone = settings.onDone;
    this.callbackExecutor = settings.callbackExecutor;
    this.readyCallbacks = new ReadyCallbacks(settings.callbackExecutor, this);
  }

  /**
   * What every session of one client shares.
   *
   * @param timer runs the cancel of a session closed before the server finished
   * @param closeGrace how long {@link #close()} waits for the server before it cancels
   * @param chatDeadline the deadline sessions are opened with, for the description of its end
   * @param onDone told once, when the session has ended and, with a listener, the listener has
   *     had its end callback
   * @param observers told about each session; null for nobody
   */
  record Settings(
      int receiveBufferSize,
      int maxMessageSize,
      Executor callbackExecutor,
      ScheduledExecutorService timer,
      Duration closeGrace,
      Duration chatDeadline,
      Consumer<RealChatSession> onDone,
      ClientObservers observers) {
    Settings(
        int receiveBufferSize,
        int maxMessageSize,
        Executor callbackExecutor,
        ScheduledExecutorService timer,
        Duration closeGrace,
        Duration chatDeadline,
        Consumer<RealChatSession> onDone) {
      this(
          receiveBufferSize,
          maxMessageSize,
          callbackExecutor,
          timer,
          closeGrace,
          chatDeadline,
          onDone,
          null);
    }
  }

  /**
   * What one session is opened with, where it may differ from the client's settings.
   *
   * @param deadline the deadline the session's call has, or null
   * @param deadlineSetting the setting it came from, to name in the description of its end
   * @param headers request headers to send
   */
  record Opening(Duration deadline, String deadlineSetting, RequestHeaders headers) {
    static Opening of(Settings settings) {
      return new Opening(settings.chatDeadline(), "chatDeadline", RequestHeaders.NONE);
    }
  }

  /**
   * A session on {@code call}, not started yet; {@code listener} null means replies are pulled.
   */
  static RealChatSession create(
      Settings settings, ClientCall<String, String> call, ChatListener listener) {
    return create(settings, call, listener, Opening.of(settings));
  }

  static RealChatSession create(
      Settings settings, ClientCall<String, String> call, ChatListener listener, Opening opening) {
    Metadata headers = opening.headers().toMetadata();
    Probe probe = settings.observers == null ? null : settings.observers.startSession(headers);
    return new RealChatSession(settings, call, listener, opening, headers, probe);
  }

  /** Starts the call. Once, before anything else. */
  void start() {
    call.start(new TransportListener(), headers);
    inbound.start();
  }

  /**
   * For {@link StartWatch}: true once, the first time a sweep finds the session still waiting for
   * its stream {@code patienceNanos} after it was created.
   */
  boolean waitedToStart(long now, long patienceNanos) {
    if (startReported || started || now - createdNanos < patienceNanos || end().isPresent()) {
      return false;
    }
    startReported = true;
    return true;
  }

  @Override
  public String receive() throws InterruptedException {
    checkPulled("receive()");
    return takeMessage();
  }

  @Override
  public String poll(Duration timeout) throws InterruptedException {
    checkPulled("poll()");
    return pollMessage(timeout);
  }

  @Override
  public Iterable<String> replies() {
    checkPulled("replies()");
    return takingIterable();
  }

  @Override
  public void whenReady(Runnable task) {
    Objects.requireNonNull(task, "task");
    outbound.whenReady(readyCallbacks.handOver(task));
  }

  /** Runs {@code task} on the callback executor once sending has ended. */
  void whenSendingEnds(Runnable task) {
    outbound.whenClosed(readyCallbacks.handOver(task));
  }

  /** Whether a trySend would take a message now: a hint. */
  boolean canSendNow() {
    return outbound.isReady();
  }

  /** Whether sending has ended: complete(), close(), or the session's end. */
  boolean sendingEnded() {
    return outbound.isClosed();
  }

  /**
   * Hands the replies to a {@link java.util.concurrent.Flow.Subscriber} from now on, unless they
   * go elsewhere already.
   *
   * @return null if they go to {@code replies} now; else why they cannot
   */
  String publishTo(PublishedReplies replies) {
    if (listener != null) {
      return "this session delivers replies to its ChatListener: ChatFlow.replies is for"
          + " sessions opened without one";
    }
    if (closedByApplication.get()) {
      return "close() was called: this session's replies are discarded";
    }
    if (!PUBLISHED.compareAndSet(this, null, replies)) {
      return "this session's replies already go to a Flow.Subscriber: one per session";
    }
    replies.signal(); // the subscriber gets onSubscribe, and whatever is buffered already
    return null;
  }

  /** The next reply for a Flow.Subscriber, or null if none is buffered or replies are dropped. */
  String nextReply() {
    return dropReplies ? null : inbound.tryPoll();
  }

  /** How the replies ended, once they have and none is left to hand out; null until then. */
  SessionEnd endOfReplies() {
    return inbound.endIfDrained();
  }

  Executor callbackExecutor() {
    return callbackExecutor;
  }

  /** The session is done: ended, and whoever takes its replies was told. Once. */
  void reportDone() {
    if (doneReported.compareAndSet(false, true)) {
      onDone.accept(this);
    }
  }

  @Override
  public void complete() {
    outbound.closeForSending(
        "complete() was called: this session sends no more messages", call::halfClose);
  }

  @Override
  public void cancel() {
    cancel("cancelled by the client", null);
  }

  /**
   * Ends the session now with {@code CANCELLED} and {@code why}, unless it has ended already, and
   * in any case drops the replies not handed out yet: a listener gets no further
   * {@code onMessage}, only its end callback.
   */
  void cancel(String why, Throwable cause) {
    dropReplies = true;
    finish(
        new SessionEnd(new ChatEnd(StatusCode.CANCELLED, why), cause),
        () -> call.cancel(why, cause));
    inbound.discard();
    signalListener();
  }

  @Override
  public void close() {
    if (end().isPresent() || !closedByApplication.compareAndSet(false, true)) {
      return;
    }
    outbound.closeForSending(
        "close() was called: this session sends no more messages", call::halfClose);
    inbound.closeForReading(
        "close() was called: this session's replies are discarded");
    dropReplies = true;
    signalListener();
    String why =
        "closed by the client, and the server did not finish within " + seconds(closeGrace);
    try {
      closeDeadline =
          timer.schedule(() -> cancel(why, null), saturatedNanos(closeGrace), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException clientClosed) {
      cancel(why, null); // the HelloClient has closed: no grace is left to give
      return;
    }
    if (end().isPresent()) {
      closeDeadline.cancel(false); // it ended before the deadline was set: ended() missed it
    }
  }

  private static String seconds(Duration grace) {
    return grace.toMillis() % 1000 == 0
        ? grace.toSeconds() + " seconds"
        : grace.toMillis() / 1000.0 + " seconds";
  }

  @Override
  protected void ended(SessionEnd reason) {
    Future<?> deadline = closeDeadline;
    if (deadline != null) {
      deadline.cancel(false); // the timer lets go of the session now, not after the grace
    }
    if (probe != null) {
      probe.ended(reason.chatEnd().code(), reason.chatEnd().description());
    }
    if (listener == null && published == null) {
      reportDone(); // else once the listener or Flow.Subscriber has heard the end
    }
  }

  private void checkPulled(String method) {
    if (closedByApplication.get()) {
      throw new IllegalStateException(
          "close() was called: this session's replies are discarded, " + method + " has none");
    }
    if (listener != null) {
      throw new IllegalStateException(
          "this session delivers replies to its ChatListener: "
              + method + " is for sessions opened without one");
    }
    if (published != null) {
      throw new IllegalStateException(
          "this session's replies go to a Flow.Subscriber (ChatFlow.replies): "
              + method + " has none");
    }
  }

  private void signalListener() {
    if (pump != null) {
      pump.signal();
    }
    PublishedReplies replies = published;
    if (replies != null) {
      replies.signal();
    }
  }

  /** Runs on the callback executor, one run at a time: replies in order, then the end, once. */
  private void deliverToListener() {
    if (endDelivered) {
      return;
    }
    for (String reply = inbound.tryPoll(); reply != null && !dropReplies; reply = inbound.tryPoll()) {
      try {
        listener.onMessage(this, reply);
      } catch (RuntimeException | Error e) {
        logger.log(Level.WARNING, "ChatListener.onMessage threw; the session is cancelled", e);
        cancel("ChatListener.onMessage threw " + e, e);
      }
    }
    SessionEnd end = inbound.endIfDrained();
    if (end == null) {
      return;
    }
    endDelivered = true;
    try {
      if (end.isCompleted()) {
        listener.onCompleted(this);
      } else {
        listener.onError(this, end.toException());
      }
    } catch (RuntimeException | Error e) {
      logger.log(Level.WARNING, "ChatListener threw from its end callback", e);
    } finally {
      onDone.accept(this);
    }
  }

  /**
   * In place of a delivery the executor refused: the session is cancelled with the reason and,
   * since the listener must still hear how it ended, its end callback runs here, on this thread
   * (the pump runs this instead of a delivery, never beside one).
   */
  private void onCallbackRejected(RejectedExecutionException rejected) {
    logger.log(
        Level.WARNING, "the callback executor refused a task; the session is cancelled", rejected);
    cancel("the callback executor refused to run the ChatListener: " + rejected, rejected);
    deliverToListener();
  }

  /** The end of a call grpc closed, in this library's words where grpc's say little. */
  private SessionEnd endFor(Status status) {
    SessionEnd end = Statuses.toSessionEnd(status);
    String description = end.chatEnd().description().toLowerCase(Locale.ROOT);
    if (deadline != null
        && end.chatEnd().code() == StatusCode.DEADLINE_EXCEEDED
        && description.contains("deadline")
        && !description.contains("idletimeout")) {
      return new SessionEnd(
          new ChatEnd(
              StatusCode.DEADLINE_EXCEEDED,
              "the session lasted longer than its " + deadlineSetting + " of " + deadline),
          status.asException());
    }
    return end;
  }

  /** grpc's callbacks, on the transport thread: hand over and return, never block. */
  private final class TransportListener extends ClientCall.Listener<String> {
    @Override
    public void onMessage(String message) {
      inbound.add(message);
      signalListener();
    }

    @Override
    public void onReady() {
      if (!started) {
        started = true;
      }
      outbound.onReady();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      finish(endFor(status), null);
      signalListener();
    }
  }
}
