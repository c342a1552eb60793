package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.client.HelloClient;

/**
 * Whether a client the test registered was closed. {@code HelloClient} does not say, so it is
 * asked without a call: a closed client refuses {@code hello} with {@link IllegalStateException}
 * before it looks at the name, and an open one refuses a null name with
 * {@link NullPointerException} before anything reaches the transport. {@code ClientProbeTest}
 * pins both, so a client that changes either fails this module's build, not a user's test.
 */
final class ClientProbe {
  private ClientProbe() {}

  static boolean isClosed(HelloClient client) {
    if (client instanceof TrackedClient tracked) {
      return tracked.isClosed();
    }
    try {
      client.hello(null);
    } catch (IllegalStateException closed) {
      return true;
    } catch (NullPointerException open) {
      return false;
    }
    throw new AssertionError(client + " answered hello(null)");
  }
}
