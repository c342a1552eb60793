package io.hellogrpc.api.internal;

/**
 * Counts what a server holds for one call's messages, so that the server can bound the total. A
 * message is counted by its length in characters, the same when it is held and when released.
 * Implementations never block and never call back into the caller.
 */
public interface HeldBytes {
  /** Counts nothing: clients, and servers that bound nothing. */
  HeldBytes NONE =
      new HeldBytes() {
        @Override
        public void hold(long bytes) {}

        @Override
        public void release(long bytes) {}
      };

  void hold(long bytes);

  void release(long bytes);
}
