package io.hellogrpc.testing;

import io.hellogrpc.api.HelloException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking call on a thread of its own, so that a test can wait until it blocks, act, and then
 * check how it ended. The thread is a daemon, named by the test: one left behind by a failed test
 * cannot keep the JVM alive, and a thread of an earlier test is never mistaken for it.
 */
public final class Background<T> {
  private static final long LIMIT_SECONDS = 10;

  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final Thread thread;

  private Background(String name, Callable<T> call) {
    thread =
        new Thread(
            () -> {
              try {
                result.complete(call.call());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            name);
    thread.setDaemon(true);
  }

  /** Runs {@code call} on a new thread named {@code name}. */
  public static <T> Background<T> start(String name, Callable<T> call) {
    Background<T> background = new Background<>(name, call);
    background.thread.start();
    return background;
  }

  /** The thread the call runs on. */
  public Thread thread() {
    return thread;
  }

  /** Waits until the thread is parked or waiting, as one blocked in send, receive or take is. */
  public Background<T> untilBlocked() {
    Waiting.until(
        thread.getName() + " blocks or finishes",
        () -> result.isDone() || Waiting.isBlocked(thread));
    if (result.isDone()) {
      throw new AssertionError(thread.getName() + " finished instead of blocking: " + outcome());
    }
    return this;
  }

  /** The call's result, waiting at most 10 seconds; its exception comes as the cause. */
  public T get() throws InterruptedException, ExecutionException {
    try {
      return result.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          thread.getName() + " still runs after " + LIMIT_SECONDS + " s: " + thread.getState());
    }
  }

  /** Waits at most 10 seconds for the call to fail, and returns its {@link HelloException}. */
  public HelloException failure() {
    return failureOf(result);
  }

  /** As {@link #failure()}, for a future the test did not start here (helloAsync, say). */
  public static HelloException failureOf(Future<?> future) {
    Object value;
    try {
      value = future.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HelloException failure) {
        return failure;
      }
      throw new AssertionError("expected a HelloException, got " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a HelloException", e);
    } catch (TimeoutException e) {
      throw new AssertionError("expected a HelloException within " + LIMIT_SECONDS + " s", e);
    }
    throw new AssertionError("expected a HelloException, but the call returned " + value);
  }

  private String outcome() {
    try {
      return "returned " + result.getNow(null);
    } catch (Exception e) {
      return "threw " + e.getCause();
    }
  }
}
