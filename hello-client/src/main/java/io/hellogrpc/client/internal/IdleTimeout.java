package io.hellogrpc.client.internal;

import static io.hellogrpc.api.internal.Durations.saturatedNanos;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.hellogrpc.api.internal.HelloMethods;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Ends a chat session that had no message in either direction for a while, with
 * {@code DEADLINE_EXCEEDED} and a description that says so.
 *
 * <p>The session's call is made in a cancellable grpc context; when the timer finds it idle it
 * cancels that context with a {@link TimeoutException}, which grpc turns into
 * {@code DEADLINE_EXCEEDED} for the call, through the same path as a deadline. Per message the
 * cost is a clock read and a volatile write; the timer wakes once per timeout, not per message.
 */
final class IdleTimeout {
  private final long timeoutNanos;
  private final String description;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;

  IdleTimeout(Duration timeout, ScheduledExecutorService timer) {
    this(timeout, "chatIdleTimeout", timer, System::nanoTime);
  }

  IdleTimeout(Duration timeout, ScheduledExecutorService timer, LongSupplier nanoClock) {
    this(timeout, "chatIdleTimeout", timer, nanoClock);
  }

  /** @param setting the setting the timeout came from, named in the description of the end */
  IdleTimeout(
      Duration timeout, String setting, ScheduledExecutorService timer, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.timeoutNanos = saturatedNanos(timeout);
    this.description =
        "the session was idle for " + timeout + ": no message in either direction (" + setting
            + ")";
    this.timer = timer;
  }

  /** Creates the session's call and hands it to {@code open}, watched. */
  <T> T open(Channel channel, CallOptions options, Function<ClientCall<String, String>, T> open) {
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach(); // the call captures the context it is created in
    try {
      return open.apply(new WatchedCall(channel.newCall(HelloMethods.CHANNEL, options), context));
    } finally {
      context.detach(previous);
    }
  }

  private final class WatchedCall
      extends ForwardingClientCall.SimpleForwardingClientCall<String, String> {
    private final Context.CancellableContext context;
    private volatile long lastActivity = nanoClock.getAsLong();
    private volatile Future<?> check;
    private volatile boolean closed;

    WatchedCall(ClientCall<String, String> call, Context.CancellableContext context) {
      super(call);
      this.context = context;
    }

    @Override
    public void start(Listener<String> listener, Metadata headers) {
      super.start(
          new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(String message) {
              lastActivity = nanoClock.getAsLong();
              super.onMessage(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              closed = true;
              Future<?> pending = check;
              if (pending != null) {
                pending.cancel(false);
              }
              context.cancel(null); // releases the context; the call is over anyway
              super.onClose(status, trailers);
            }
          },
          headers);
      scheduleCheck(timeoutNanos);
    }

    @Override
    public void sendMessage(String message) {
      lastActivity = nanoClock.getAsLong();
      super.sendMessage(message);
    }

    private void scheduleCheck(long delayNanos) {
      if (closed) {
        return;
      }
      try {
        check = timer.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        // The client is closing, and cancels every session that is still open.
      }
    }

    private void checkIdle() {
      long left = timeoutNanos - (nanoClock.getAsLong() - lastActivity);
      if (left > 0) {
        scheduleCheck(left);
      } else if (!closed) {
        context.cancel(new TimeoutException(description));
      }
    }
  }
}
