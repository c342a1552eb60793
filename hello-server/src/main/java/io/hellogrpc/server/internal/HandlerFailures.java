package io.hellogrpc.server.internal;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.hellogrpc.api.HelloException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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

  /**
   * Logs a handler's failure, once, with what identifies the call: its method, the client's
   * address and the principal (text from the client is escaped: {@link LogText}).
   *
   * @param method the handler's method, "Hello" or "Channel"
   * @param call the call it was answering
   * @param principal the caller's principal, or null without token authentication
   * @param callCancelled whether the client had cancelled the call (or its deadline had passed,
   *     or it had gone away) by the time the handler failed: then the failure is most likely the
   *     handler noticing that, or close() interrupting a handler that outlived its call, and no
   *     one is left to tell. An ordinary client end must not raise an alarm.
   */
  static void log(
      String method,
      ServerCall<?, ?> call,
      String principal,
      Throwable failure,
      boolean callCancelled) {
    // A handler's exception may quote what the client sent: its text is escaped (LogText).
    Throwable logged = LogText.escape(failure);
    if (callCancelled) {
      logger.log(
          Level.FINE,
          method + " handler threw after its call was cancelled (" + describe(call, principal)
              + "): " + logged,
          logged);
    } else if (failure instanceof HelloException) {
      logger.log(
          Level.FINE,
          method + " handler ended the call (" + describe(call, principal) + "): "
              + LogText.escape(failure.getMessage()));
    } else {
      logger.log(
          Level.WARNING,
          method + " handler threw; the call fails with UNKNOWN (" + describe(call, principal)
              + ")",
          logged);
    }
  }

  /** "method hello.v1.HelloService/Hello, peer 127.0.0.1:50123, principal alice". */
  static String describe(ServerCall<?, ?> call, String principal) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String peer;
    if (remote instanceof InetSocketAddress inet) {
      peer =
          (inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString())
              + ":" + inet.getPort();
    } else {
      peer = remote == null ? "unknown" : remote.toString(); // in-process: its name
    }
    return "method " + call.getMethodDescriptor().getFullMethodName()
        + ", peer " + LogText.escape(peer)
        + ", principal " + (principal == null ? "none" : LogText.escape(principal));
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
