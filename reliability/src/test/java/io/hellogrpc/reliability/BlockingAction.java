package io.hellogrpc.reliability;

import java.time.Duration;

/**
 * A blocking action, such as a receive that waits for a reply, on a thread of its own: the test
 * watches the thread while it blocks, then waits for it to end and learns what it threw.
 */
final class BlockingAction {
  /** The action; it may throw anything. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private final Thread thread;
  private Throwable thrown; // written by the thread before it ends, read after joining it

  private BlockingAction(String name, Action action) {
    this.thread =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable t) {
                thrown = t;
              }
            },
            name);
  }

  static BlockingAction start(String name, Action action) {
    BlockingAction blocking = new BlockingAction(name, action);
    blocking.thread.start();
    return blocking;
  }

  Thread thread() {
    return thread;
  }

  /**
   * Waits at most {@code timeout} for the action to end.
   *
   * @return what it threw, or null if it returned
   * @throws AssertionError if it is still running
   */
  Throwable end(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    if (thread.isAlive()) {
      throw new AssertionError(thread.getName() + " still runs after " + timeout);
    }
    return thrown;
  }
}
