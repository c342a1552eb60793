package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A client of each implementation, connected to the server JVM: the library first. */
final class Contenders implements AutoCloseable {
  private final List<Contender> all = new ArrayList<>();

  private Contenders() {}

  /**
   * One per implementation, then the library in each {@link Telemetry} mode the server runs, plus
   * grpc-go (its own server and client) if {@code grpcGo} is set.
   */
  static Contenders connect(ServerPorts ports, Path grpcGo) throws IOException, InterruptedException {
    Contenders contenders = new Contenders();
    for (Implementation implementation : Implementation.values()) {
      contenders.all.add(implementation.connect(ports.of(implementation)));
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
