package io.hellogrpc.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hellogrpc.testing.Waiting;
import java.util.concurrent.atomic.AtomicReference;

/** What a new call is told once a server is shutting down. */
final class Refusals {
  private Refusals() {}

  /**
   * Makes {@code newCall} until grpc refuses it, and returns the refusal's status. grpc's server
   * says it is shut down ({@code isShutdown()}) a moment before its transports stop taking calls;
   * a call made in between is still served (seen in CI), so a test cannot check a single call.
   */
  static Status firstRefusal(Runnable newCall) {
    AtomicReference<Status> refused = new AtomicReference<>();
    Waiting.until(
        "a new call is refused",
        () -> {
          try {
            newCall.run();
            return false;
          } catch (StatusRuntimeException e) {
            refused.set(e.getStatus());
            return true;
          }
        });
    return refused.get();
  }
}
