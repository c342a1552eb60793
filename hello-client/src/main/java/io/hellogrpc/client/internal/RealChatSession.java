package io.hellogrpc.client.internal;

import static io.hellogrpc.api.internal.Durations.saturatedNanos;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.OutboundGate;
import io.hellogrpc.api.internal.SerialPump;
import io.hellogrpc.api.internal.SessionCore;
import io.hellogrpc.api.internal.Statuses;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link ChatSession} over one grpc {@link ClientCall}. */
final class RealChatSession extends SessionCore implements ChatSession {
  private static final Logger logger = Logger.getLogger(RealChatSession.class.getName());
  /** How long {@link #close()} lets the server finish before it cancels. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  private final ClientCall<String, String> call;
  private final ChatListener listener; // null: replies are pulled
  private final SerialPump pump; // null: replies are pulled
  private final ScheduledExecutorService timer;
  private final Duration closeGrace;
  private final Consumer<RealChatSession> onEnded;
  private boolean endDelivered; // confined to the pump
  private volatile boolean closedByApplication;
  private volatile Future<?> closeDeadline; // set by close(), cancelled by the end

  private RealChatSession(
      ClientCall<String, String> call,
      int receiveBufferSize,
      int maxMessageSize,
      ChatListener listener,
      Executor callbackExecutor,
      ScheduledExecutorService timer,
      Duration closeGrace,
      Consumer<RealChatSession> onEnded) {
    super(
        receiveBufferSize,
        maxMessageSize,
        call::request,
        OutboundGate.Transport.of(call::isReady, call::sendMessage));
    this.call = call;
    this.listener = listener;
    this.pump =
        listener == null
            ? null
            : new SerialPump(callbackExecutor, this::deliverToListener, this::onCallbackRejected);
    this.timer = timer;
    this.closeGrace = closeGrace;
    this.onEnded = onEnded;
  }

  /**
   * Starts a session on {@code call}.
   *
   * @param timer runs the cancel of a session closed before the server finished, after
   *     {@code closeGrace}
   * @param onEnded told once when the session ends, however it ends
   */
  static RealChatSession open(
      ClientCall<String, String> call,
      int receiveBufferSize,
      int maxMessageSize,
      ChatListener listener,
      Executor callbackExecutor,
      ScheduledExecutorService timer,
      Duration closeGrace,
      Consumer<RealChatSession> onEnded) {
    RealChatSession session =
        new RealChatSession(
            call,
            receiveBufferSize,
            maxMessageSize,
            listener,
            callbackExecutor,
            timer,
            closeGrace,
            onEnded);
    call.start(session.new TransportListener(), new Metadata());
    session.inbound.start();
    return session;
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
  public void complete() {
    outbound.closeForSending(
        "complete() was called: this session sends no more messages", call::halfClose);
  }

  @Override
  public void cancel() {
    cancel("cancelled by the client");
  }

  /** Ends the session now with {@code CANCELLED} and {@code why}, unless it has ended already. */
  void cancel(String why) {
    if (finish(new ChatEnd(StatusCode.CANCELLED, why), () -> call.cancel(why, null))) {
      inbound.discard();
      signalListener();
    }
  }

  @Override
  public void close() {
    if (end().isPresent()) {
      return;
    }
    closedByApplication = true;
    complete();
    inbound.discard();
    signalListener();
    String why =
        "closed by the client, and the server did not finish within " + seconds(closeGrace);
    try {
      closeDeadline =
          timer.schedule(() -> cancel(why), saturatedNanos(closeGrace), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException clientClosed) {
      cancel(why); // the HelloClient has closed: no grace is left to give
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
  protected void ended(ChatEnd reason) {
    Future<?> deadline = closeDeadline;
    if (deadline != null) {
      deadline.cancel(false); // the timer lets go of the session now, not after the grace
    }
    onEnded.accept(this);
  }

  private void checkPulled(String method) {
    if (closedByApplication) {
      throw new IllegalStateException(
          "close() was called: this session's replies are discarded, " + method + " has none");
    }
    if (listener != null) {
      throw new IllegalStateException(
          "this session delivers replies to its ChatListener: "
              + method + " is for sessions opened without one");
    }
  }

  private void signalListener() {
    if (pump != null) {
      pump.signal();
    }
  }

  /** Runs on the callback executor, one run at a time: replies in order, then the end, once. */
  private void deliverToListener() {
    if (endDelivered) {
      return;
    }
    for (String reply = inbound.tryPoll(); reply != null; reply = inbound.tryPoll()) {
      try {
        listener.onMessage(this, reply);
      } catch (RuntimeException | Error e) {
        logger.log(Level.WARNING, "ChatListener.onMessage threw; cancelling the session", e);
        cancel("ChatListener.onMessage threw " + e);
      }
    }
    ChatEnd end = inbound.endIfDrained();
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
    }
  }

  private void onCallbackRejected(RuntimeException rejected) {
    logger.log(Level.WARNING, "the callback executor refused a task; cancelling the session", rejected);
    cancel("the callback executor refused to run the ChatListener: " + rejected);
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
      outbound.onReady();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      finish(Statuses.toEnd(status), () -> {});
      signalListener();
    }
  }
}
