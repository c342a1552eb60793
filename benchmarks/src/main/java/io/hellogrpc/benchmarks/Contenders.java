package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A client of each implementation, connected to the server JVM: the library first. */
final class Contenders implements AutoCloseable {
  private final List<Contender> all = new ArrayList<>();

  private Contenders() {}

  /**
   * The library and each of {@code yardsticks}, then the library in each {@link Telemetry} mode
   * the server runs, plus grpc-go (its own server and client) if {@code grpcGo} is set.
   */
  static Contenders connect(ServerPorts ports, Set<Implementation> yardsticks, Path grpcGo)
      throws IOException, InterruptedException {
    Contenders contenders = new Contenders();
    for (Implementation implementation : Implementation.values()) {
      if (implementation == Implementation.LIBRARY || yardsticks.contains(implementation)) {
        contenders.all.add(implementation.connect(ports.of(implementation)));
      }
    }
    ports.telemetry().forEach((mode, port) -> contenders.all.add(new LibraryContender(port, mode)));
    if (grpcGo != null) {
      try {
        contenders.all.add(new GrpcGoContender(grpcGo));
      } catch (IOException | RuntimeException e) {
        contenders.close();
        throw e;
      }
    }
    return contenders;
  }

  List<Contender> all() {
    return all;
  }

  @Override
  public void close() {
    for (Contender contender : all) {
      contender.close();
    }
  }
}
