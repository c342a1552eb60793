package io.hellogrpc.server;

/** Builds the wire messages a generated client sends. */
final class Messages {
  private Messages() {}

  /** The proto {@code String} message carrying {@code value}. */
  static io.hellogrpc.api.proto.String text(String value) {
    return io.hellogrpc.api.proto.String.newBuilder().setValue(value).build();
  }
}
