package io.hellogrpc.server.internal;

import io.hellogrpc.api.HelloException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Logs a handler's failure: loudly when unexpected, quietly when the handler chose the status. */
final class HandlerFailures {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");

  private HandlerFailures() {}

  static void log(String method, Throwable failure) {
    if (failure instanceof HelloException) {
      logger.log(Level.FINE, method + " handler ended the call: " + failure.getMessage());
    } else {
      logger.log(Level.WARNING, method + " handler threw; the call fails with UNKNOWN", failure);
    }
  }
}
