package io.hellogrpc.server.internal;

import io.grpc.Status;
import io.hellogrpc.api.HelloException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A handler's failure: logged loudly when unexpected, quietly when the handler chose the status. */
final class HandlerFailures {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");

  private HandlerFailures() {}

  /** The status of a call whose handler the executor refused to run. */
  static Status refused(String method) {
    return Status.UNAVAILABLE.withDescription(
        "the server's executor refused to run the " + method + " handler (shut down or full)");
  }

  static void log(String method, Throwable failure) {
    log(method, failure, false);
  }

  /**
   * @param callCancelled whether the client had cancelled the call (or its deadline had passed,
   *     or it had gone away) by the time the handler failed: then the failure is most likely the
   *     handler noticing that, or close() interrupting a handler that outlived its call, and no
   *     one is left to tell. An ordinary client end must not raise an alarm.
   */
  static void log(String method, Throwable failure, boolean callCancelled) {
    // A handler's exception may quote what the client sent: its text is escaped (LogText).
    Throwable logged = LogText.escape(failure);
    if (callCancelled) {
      logger.log(
          Level.FINE, method + " handler threw after its call was cancelled: " + logged, logged);
    } else if (failure instanceof HelloException) {
      logger.log(
          Level.FINE,
          method + " handler ended the call: " + LogText.escape(failure.getMessage()));
    } else {
      logger.log(Level.WARNING, method + " handler threw; the call fails with UNKNOWN", logged);
    }
  }

  /** The status of a call whose token the authenticator failed to check, logged once here. */
  static Status authenticatorFailed(Throwable failure) {
    if (failure instanceof HelloException chosen) {
      return Status.fromCodeValue(chosen.code().value()).withDescription(chosen.description());
    }
    logger.log(
        Level.WARNING,
        "the TokenAuthenticator threw; the call fails with INTERNAL and no handler runs",
        LogText.escape(failure));
    return Status.INTERNAL.withDescription(
        "the server could not check the token (its authenticator failed); the server logged why");
  }

  /** The status of a call whose certificate the CertificatePrincipal failed to map, logged here. */
  static Status certificatePrincipalFailed(Throwable failure) {
    if (failure instanceof HelloException chosen) {
      return Status.fromCodeValue(chosen.code().value()).withDescription(chosen.description());
    }
    logger.log(
        Level.WARNING,
        "the CertificatePrincipal threw; the call fails with INTERNAL and no handler runs",
        LogText.escape(failure));
    return Status.INTERNAL.withDescription(
        "the server could not map the client certificate to a principal; the server logged why");
  }
}
