package io.hellogrpc.benchmarks;

/**
 * The messages of every workload: {@code "0"}, {@code "1"}, ... and the replies
 * {@code "hello:" + message} every server here must give. The generated message class is also
 * called String, so it is always written out in full ({@code io.hellogrpc.api.proto.String}).
 */
final class Messages {
  private Messages() {}

  static String text(long i) {
    return Long.toString(i);
  }

  static String expectedReply(long i) {
    return "hello:" + i;
  }

  static io.hellogrpc.api.proto.String wire(String value) {
    return io.hellogrpc.api.proto.String.newBuilder().setValue(value).build();
  }

  static io.hellogrpc.api.proto.String wire(long i) {
    return wire(text(i));
  }

  /** What the yardstick servers answer, as the library's defaults: "hello:" + value. */
  static io.hellogrpc.api.proto.String reply(io.hellogrpc.api.proto.String message) {
    return wire("hello:" + message.getValue());
  }
}
