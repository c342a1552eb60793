package io.hellogrpc.api.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks a server's or client's TLS material for changes every so often, on one daemon thread of
 * its own: a thread per server or client that reloads its certificates, none for one that does
 * not, however many files it watches. Stopped by {@link #close()}.
 */
public final class CertificateWatch implements AutoCloseable {
  private final Logger logger;
  private final List<PemReload> reloads;
  private final ScheduledThreadPoolExecutor scheduler;

  /**
   * Starts checking {@code reloads} every {@code every}, the first time {@code every} from now.
   *
   * @param logger where changes and refusals are logged: the server's or the client's
   * @param threadName the thread's name, such as "hello-server-certificates"
   */
  public CertificateWatch(
      Logger logger, List<PemReload> reloads, Duration every, String threadName) {
    this.logger = logger;
    this.reloads = List.copyOf(reloads);
    this.scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory(threadName));
    long nanos = Durations.saturatedNanos(every);
    scheduler.scheduleWithFixedDelay(this::checkNow, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Checks every piece now, as the thread does. */
  public synchronized void checkNow() {
    for (PemReload reload : reloads) {
      try {
        reload.check(logger);
      } catch (RuntimeException e) { // a bug; it must not end the checks of the others, or later
        logger.log(Level.WARNING, "checking " + reload.what() + " for changes failed", e);
      }
    }
  }

  /** Stops checking; a check running now finishes. Idempotent. */
  @Override
  public void close() {
    scheduler.shutdown();
  }
}
