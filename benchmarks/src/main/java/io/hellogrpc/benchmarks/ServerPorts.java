package io.hellogrpc.benchmarks;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where the server JVM serves each implementation, and the one line it prints to say so:
 * {@code ports library=41001 grpc-default=41002 grpc-tuned=41003}.
 */
record ServerPorts(Map<Implementation, Integer> ports) {
  private static final String PREFIX = "ports";

  int of(Implementation implementation) {
    return ports.get(implementation);
  }

  String line() {
    StringBuilder line = new StringBuilder(PREFIX);
    ports.forEach((implementation, port) -> line.append(' ').append(implementation.key).append('=').append(port));
    return line.toString();
  }

  static ServerPorts parse(String line) {
    String[] words = line.trim().split(" ");
    if (!words[0].equals(PREFIX)) {
      throw new IllegalArgumentException("not a port line: '" + line + "'");
    }
    Map<Implementation, Integer> ports = new EnumMap<>(Implementation.class);
    for (int i = 1; i < words.length; i++) {
      String[] pair = words[i].split("=", 2);
      ports.put(Implementation.byKey(pair[0]), Integer.parseInt(pair[1]));
    }
    if (ports.size() != Implementation.values().length) {
      throw new IllegalArgumentException("a port for every implementation expected: '" + line + "'");
    }
    return new ServerPorts(ports);
  }
}
