package io.hellogrpc.examples;

import io.hellogrpc.server.Caller;
import io.hellogrpc.server.ServerSession;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code server --log-callers}: one line per call, saying who called:
 * {@code call Hello from 127.0.0.1:53412 principal=alice x-request-id=r-42}. The principal is
 * {@code -} when the server requires neither a token nor client certificates; the request id is
 * left out when the client sent none.
 */
final class CallerLog {
  static final String REQUEST_ID = "x-request-id";

  private final PrintStream out;

  CallerLog(PrintStream out) {
    this.out = out;
  }

  /** For a Hello handler, on its thread. */
  void hello() {
    log(
        "Hello",
        Caller.remoteAddress(),
        Caller.principal(),
        Caller.header(REQUEST_ID));
  }

  /** For a session's handler. */
  void channel(ServerSession session) {
    log(
        "Channel",
        session.remoteAddress(),
        session.principal(),
        session.header(REQUEST_ID));
  }

  private void log(
      String method,
      Optional<InetSocketAddress> from,
      Optional<String> principal,
      Optional<String> requestId) {
    out.println(
        "call " + method
            + " from " + from.map(CallerLog::hostPort).orElse("in-process")
            + " principal=" + principal.orElse("-")
            + requestId.map(id -> " " + REQUEST_ID + "=" + id).orElse(""));
  }

  private static String hostPort(InetSocketAddress address) {
    String host =
        address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
