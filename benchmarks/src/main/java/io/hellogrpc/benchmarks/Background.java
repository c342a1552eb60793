package io.hellogrpc.benchmarks;

import java.util.function.Consumer;

/** A task on its own thread, such as a sender, with a handler that runs there if it throws. */
final class Background {
  /** The task; it may throw anything. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  private final Thread thread;

  private Background(String name, Task task, Consumer<Throwable> onFailure) {
    this.thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (Throwable t) { // an OutOfMemoryError too: it is a result here
                onFailure.accept(t);
              }
            },
            name);
    thread.setDaemon(true);
  }

  /** Starts {@code task}; {@code onFailure} runs on its thread if it throws. */
  static Background start(String name, Task task, Consumer<Throwable> onFailure) {
    Background background = new Background(name, task, onFailure);
    background.thread.start();
    return background;
  }

  /** Waits for the task, and its failure handler if it threw. */
  void join() throws InterruptedException {
    thread.join();
  }
}
