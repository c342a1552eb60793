package io.hellogrpc.client.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Says so when a session's stream has not started after a while, rather than let it wait in
 * silence. grpc queues a call that a server's {@code MAX_CONCURRENT_STREAMS} has no room for, and
 * says nothing; such a call may not start even after others on the connection end (seen when
 * they end by cancel). The client's connection pool keeps within {@code
 * maxConcurrentCallsPerConnection}; this catches a server that allows fewer.
 *
 * <p>One sweep over the client's open sessions every half patience, from the first session on,
 * reports each session that has waited the patience, once: a session that waits is told about one
 * to one and a half patiences after it opened. The sweeps go on, every half patience, until the
 * client closes, sessions or not. A timer per session instead cost a scheduled
 * task and a lock on the timer's queue to open each session and again on the event loop to cancel
 * it (about a twentieth of the wall time of opening 10,000 sessions, in a profile).
 */
final class StartWatch {
  static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");

  private final ScheduledExecutorService timer;
  private final Duration patience;
  private final int maxCallsPerConnection;
  private final OpenSessions sessions;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private boolean warned; // confined to the sweeps, which never overlap

  StartWatch(
      ScheduledExecutorService timer,
      Duration patience,
      int maxCallsPerConnection,
      OpenSessions sessions) {
    this.timer = timer;
    this.patience = patience;
    this.maxCallsPerConnection = maxCallsPerConnection;
    this.sessions = sessions;
  }

  /**
   * Called once a session is in {@code sessions}: the first call starts the sweeps, which go on
   * until the timer shuts down with the client.
   */
  void watch() {
    if (sweeping.get() || !sweeping.compareAndSet(false, true)) {
      return;
    }
    long period = Math.max(1, patience.toNanos() / 2);
    try {
      timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // the client is closing: its sessions are being ended, not waited for
    }
  }

  private void sweep() {
    long patienceNanos = patience.toNanos();
    long now = System.nanoTime();
    sessions.forEach(
        session -> {
          if (session.waitedToStart(now, patienceNanos)) {
            try {
              report();
            } catch (RuntimeException e) {
              // A log handler that throws must not end the sweeps: a periodic task that throws
              // is never run again, and every later session would wait in silence.
            }
          }
        });
  }

  private void report() {
    String message =
        "a chat session has waited " + patience + " for the server to accept its"
            + " stream: the server holds as many calls on this connection as it allows"
            + " (HTTP/2 MAX_CONCURRENT_STREAMS) and grpc queues the rest, or it is not reading."
            + " If the server allows fewer than this client's maxConcurrentCallsPerConnection ("
            + maxCallsPerConnection + "), set that to the server's limit.";
    logger.log(warned ? Level.FINE : Level.WARNING, message);
    warned = true;
  }
}
