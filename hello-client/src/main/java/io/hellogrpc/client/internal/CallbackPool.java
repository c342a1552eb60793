package io.hellogrpc.client.internal;

import io.hellogrpc.api.internal.DaemonThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Where callbacks run when the application gives no executor: one pool for every
 * {@link io.hellogrpc.client.HelloClient} in the JVM, so threads do not grow with clients or
 * sessions (10 clients with 10,000 listener sessions once added 127 threads). On JDK 21 and
 * later a virtual thread per task; on JDK 17 a bounded set of platform threads that start with
 * demand and go when idle, with a queue for the rest. A session's callbacks run one at a time
 * either way, so a callback that blocks holds up its own session and, on JDK 17, one thread.
 */
final class CallbackPool {
  private static final String NAME = "hello-client-callback";

  private CallbackPool() {}

  static Executor shared() {
    return Holder.POOL;
  }

  /** Created on first use, never shut down: its threads are daemons and go when idle. */
  private static final class Holder {
    static final Executor POOL = create();

    private static Executor create() {
      ExecutorService virtual = DaemonThreads.virtualThreadPerTask(NAME);
      return virtual != null ? virtual : DaemonThreads.boundedPool(NAME, Integer.MAX_VALUE);
    }
  }
}
