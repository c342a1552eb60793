package io.hellogrpc.client.internal;

import java.util.Set;
import java.util.stream.Collectors;

/** The live threads of the clients' own event loops ({@link ClientEventLoops}), for tests. */
public final class TransportThreads {
  private TransportThreads() {}

  /** Those alive now. */
  public static Set<Thread> now() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(ClientEventLoops.THREAD_NAME))
        .collect(Collectors.toSet());
  }

  /** Those alive now that were not in {@code before}. */
  public static Set<Thread> startedSince(Set<Thread> before) {
    Set<Thread> threads = now();
    threads.removeAll(before);
    return threads;
  }
}
