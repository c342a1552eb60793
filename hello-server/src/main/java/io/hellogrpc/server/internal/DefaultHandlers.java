package io.hellogrpc.server.internal;

import io.hellogrpc.server.ChannelHandler;
import io.hellogrpc.server.HelloHandler;
import java.util.concurrent.Executor;

/**
 * The Go tutorial's answers, the server's defaults: {@code "hello:" + value}. They never block, so
 * they run where the request arrives, on the transport thread, as tuned grpc-java's handlers do:
 * no hop to an executor per {@code Hello} or per burst of messages, and no handler thread at all.
 */
public final class DefaultHandlers {
  public static final HelloHandler HELLO = name -> "hello:" + name;
  public static final ChannelHandler CHANNEL = message -> "hello:" + message;

  private static final Executor IN_PLACE = Runnable::run;

  private DefaultHandlers() {}

  /** Where {@code handler} runs: in place if it is a default one, else on {@code executor}. */
  static Executor executorFor(Object handler, Executor executor, boolean executorGiven) {
    return runsInPlace(handler, executorGiven) ? IN_PLACE : executor;
  }

  /**
   * Whether {@code handler} runs where the request arrives: a default one does, unless the
   * application gave the server an executor to run handlers on.
   */
  static boolean runsInPlace(Object handler, boolean executorGiven) {
    return !executorGiven && (handler == HELLO || handler == CHANNEL);
  }
}
