package io.hellogrpc.server.internal;

import java.io.IOException;

/**
 * Why a server could not listen, in words. grpc says "Failed to bind to address" and leaves the
 * reason, such as a port already in use, to the cause of its cause.
 */
final class BindFailures {
  private BindFailures() {}

  /** @param where the address, as the message should name it ("127.0.0.1:1234") */
  static IOException describe(String where, IOException failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String reason = String.valueOf(root.getMessage());
    // Epoll says "bind(..) failed with error(-98): Address already in use", NIO just the words.
    if (reason.contains("Address already in use")) {
      return new IOException(
          "could not listen on " + where + ": address already in use (another process, or another"
              + " server in this one, listens there): stop it, or choose another port; port(0)"
              + " picks a free one",
          failure);
    }
    return new IOException("could not listen on " + where + ": " + reason, failure);
  }
}
