package io.hellogrpc.benchmarks;

import java.util.EnumSet;
import java.util.Set;

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

  /**
   * The yardsticks a {@code --yardsticks} list names: grpc-default and grpc-tuned, comma-separated,
   * or none; both when the list is null.
   */
  static Set<Implementation> yardsticks(String list) throws Options.UsageException {
    Set<Implementation> chosen = EnumSet.noneOf(Implementation.class);
    if (list == null) {
      chosen.add(GRPC_DEFAULT);
      chosen.add(GRPC_TUNED);
      return chosen;
    }
    for (String key : list.split(",")) {
      if (key.isBlank() || key.trim().equals("none")) {
        continue;
      }
      Implementation implementation = null;
      try {
        implementation = byKey(key.trim());
      } catch (IllegalArgumentException e) {
        // refused below
      }
      if (implementation == null || implementation == LIBRARY) {
        throw new Options.UsageException(
            "--yardsticks takes grpc-default and grpc-tuned, comma-separated, or none: '" + key + "'");
      }
      chosen.add(implementation);
    }
    return chosen;
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
