package io.hellogrpc.benchmarks;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where the server JVM serves each implementation, and the one line it prints to say so:
 * {@code ports library=41001 grpc-default=41002 grpc-tuned=41003}, followed by the library servers
 * it runs with OpenTelemetry when asked ({@code library+metrics=41004 ...}).
 *
 * @param telemetry the port of the library server observed in each {@link Telemetry} mode asked
 *     for; empty without {@code --telemetry}
 */
record ServerPorts(Map<Implementation, Integer> ports, Map<Telemetry, Integer> telemetry) {
  private static final String PREFIX = "ports";
  private static final String WITH_TELEMETRY = Implementation.LIBRARY.key + "+";

  ServerPorts(Map<Implementation, Integer> ports) {
    this(ports, new EnumMap<>(Telemetry.class));
  }

  int of(Implementation implementation) {
    return ports.get(implementation);
  }

  String line() {
    StringBuilder line = new StringBuilder(PREFIX);
    ports.forEach(
        (implementation, port) -> line.append(' ').append(implementation.key).append('=').append(port));
    telemetry.forEach(
        (mode, port) -> line.append(' ').append(WITH_TELEMETRY).append(mode.key).append('=').append(port));
    return line.toString();
  }

  static ServerPorts parse(String line) {
    String[] words = line.trim().split(" ");
    if (!words[0].equals(PREFIX)) {
      throw new IllegalArgumentException("not a port line: '" + line + "'");
    }
    Map<Implementation, Integer> ports = new EnumMap<>(Implementation.class);
    Map<Telemetry, Integer> telemetry = new EnumMap<>(Telemetry.class);
    for (int i = 1; i < words.length; i++) {
      String[] pair = words[i].split("=", 2);
      int port = Integer.parseInt(pair[1]);
      if (pair[0].startsWith(WITH_TELEMETRY)) {
        telemetry.put(Telemetry.byKey(pair[0].substring(WITH_TELEMETRY.length())), port);
      } else {
        ports.put(Implementation.byKey(pair[0]), port);
      }
    }
    if (ports.size() != Implementation.values().length) {
      throw new IllegalArgumentException("a port for every implementation expected: '" + line + "'");
    }
    return new ServerPorts(ports, telemetry);
  }
}
