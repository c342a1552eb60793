package io.hellogrpc.client.internal;

import java.time.Duration;
import java.util.concurrent.Future;
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
 */
final class StartWatch {
  static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");

  private final ScheduledExecutorService timer;
  private final Duration patience;
  private final int maxCallsPerConnection;
  private final AtomicBoolean warned = new AtomicBoolean();

  StartWatch(ScheduledExecutorService timer, Duration patience, int maxCallsPerConnection) {
    this.timer = timer;
    this.patience = patience;
    this.maxCallsPerConnection = maxCallsPerConnection;
  }

  /**
   * Reports {@code session} unless it started or ended within the patience given.
   *
   * @return the check, to cancel once the session starts or ends; null if the client is closing
   */
  Future<?> watch(RealChatSession session) {
    try {
      return timer.schedule(
          () -> report(session), patience.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return null;
    }
  }

  private void report(RealChatSession session) {
    if (session.hasStarted() || session.end().isPresent()) {
      return;
    }
    String message =
        "a chat session has waited " + patience + " for the server to accept its"
            + " stream: the server holds as many calls on this connection as it allows"
            + " (HTTP/2 MAX_CONCURRENT_STREAMS) and grpc queues the rest, or it is not reading."
            + " If the server allows fewer than this client's maxConcurrentCallsPerConnection ("
            + maxCallsPerConnection + "), set that to the server's limit.";
    logger.log(warned.compareAndSet(false, true) ? Level.WARNING : Level.FINE, message);
  }
}
