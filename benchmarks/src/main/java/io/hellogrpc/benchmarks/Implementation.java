package io.hellogrpc.benchmarks;

/** What is measured: the library and the plain grpc-java yardsticks it is compared with. */
enum Implementation {
  LIBRARY("library", "library"),
  GRPC_DEFAULT("grpc-default", "grpc default"),
  GRPC_TUNED("grpc-tuned", "grpc tuned");

  /** Its name on command lines and in the server's port line. */
  final String key;
  /** Its column in the table. */
  final String label;

  Implementation(String key, String label) {
    this.key = key;
    this.label = label;
  }

  /** A client of this implementation, connected to its server on 127.0.0.1:{@code port}. */
  Contender connect(int port) {
    switch (this) {
      case LIBRARY:
        return new LibraryContender(port);
      case GRPC_DEFAULT:
        return new DefaultGrpcContender(port);
      default:
        return new TunedGrpcContender(port);
    }
  }

  static Implementation byKey(String key) {
    for (Implementation implementation : values()) {
      if (implementation.key.equals(key)) {
        return implementation;
      }
    }
    throw new IllegalArgumentException("no implementation called '" + key + "'");
  }
}
