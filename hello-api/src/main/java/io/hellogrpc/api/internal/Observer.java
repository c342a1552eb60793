package io.hellogrpc.api.internal;

import io.grpc.Metadata;

/**
 * What watches a server or a client: the application's {@link io.hellogrpc.api.HelloEventListener},
 * OpenTelemetry, or both ({@link Observers}). Where nothing watches there is no observer (null),
 * and the library calls nothing: this interface is plain Java, so code that calls it never loads
 * an OpenTelemetry class.
 */
public interface Observer {
  /** What a call is. */
  enum Kind {
    HELLO("Hello"),
    SESSION("Channel");

    /** The method's name in HelloService. */
    public final String method;

    Kind(String method) {
      this.method = method;
    }
  }

  /**
   * A call starts. Client: on the thread starting it, with the headers it is about to send, to
   * which trace context may be added. Server: on the transport thread as the call arrives, with the
   * headers the client sent.
   *
   * @param kind a {@code Hello} or a session
   * @param headers the call's request headers
   * @param peerHost the server's host as the client was given it, or the client's IP address as the
   *     server sees it; null when there is none (in-process)
   * @param peerPort the port that goes with it; -1 when there is none
   * @return the call's probe, told what happens to the call until it ends
   */
  Probe start(Kind kind, Metadata headers, String peerHost, int peerPort);
}
