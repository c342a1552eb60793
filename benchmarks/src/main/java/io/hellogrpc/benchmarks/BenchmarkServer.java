package io.hellogrpc.benchmarks;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hellogrpc.server.HelloServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server JVM: the library and both grpc-java yardsticks, each on a free port of 127.0.0.1;
 * with arguments such as {@code metrics traces-1} ({@link Telemetry} modes), also a library server
 * observed through OpenTelemetry in each of those modes.
 *
 * <p>It prints the {@link ServerPorts} line, then answers one line per command read on stdin,
 * which is how the client JVM reads measurements that can only be taken inside this JVM:
 *
 * <ul>
 *   <li>{@code stats}: {@code stats threads=T peakThreads=P peakHeap=H outOfMemory=O} (heap in
 *       bytes, -1 before the first whole-heap collection; O is whether a handler met an
 *       OutOfMemoryError that grpc turned into a status)
 *   <li>{@code gc}: collects the whole heap, {@code gc liveHeap=L}
 *   <li>{@code reset}: forgets the peaks, {@code ok}
 *   <li>{@code pinning-start}: starts counting carrier pinning with JFR ({@link PinningRecorder}),
 *       {@code ok}
 *   <li>{@code pinning}: stops counting, {@code pinning events=N where=W} (W: the most frequent
 *       places with their counts, "; " between them; empty if none)
 *   <li>{@code quit}, or end of input: stops everything and exits
 * </ul>
 *
 * <p>With {@code -Dhellogrpc.benchmarks.heapSampleMillis=N} it collects the whole heap every N ms
 * so the peak heap is sampled densely (the slow-reader workload). With
 * {@code -Dhellogrpc.benchmarks.maxConnectionsPerAddress=N} the library's server allows N
 * connections from 127.0.0.1 instead of its default (the virtual-threads workload).
 */
public final class BenchmarkServer {
  static final String HEAP_SAMPLE_PROPERTY = "hellogrpc.benchmarks.heapSampleMillis";
  static final String PER_ADDRESS_PROPERTY = "hellogrpc.benchmarks.maxConnectionsPerAddress";

  /** The three servers, and the library's observed ones, running. */
  static final class Servers implements AutoCloseable {
    private final HelloServer library;
    private final Server grpcDefault;
    private final Server grpcTuned;
    private final Map<Telemetry, HelloServer> observed = new EnumMap<>(Telemetry.class);
    private final List<OpenTelemetrySdk> sdks = new ArrayList<>();

    private Servers(HelloServer library, Server grpcDefault, Server grpcTuned) {
      this.library = library;
      this.grpcDefault = grpcDefault;
      this.grpcTuned = grpcTuned;
    }

    /** Starts them; used by {@link #main} and, in one JVM, by the tests. */
    static Servers start() throws IOException {
      return start(List.of());
    }

    /** With a library server observed through OpenTelemetry in each of {@code telemetry}. */
    static Servers start(List<Telemetry> telemetry) throws IOException {
      // The library as a host application gets it: every setting left at its default.
      HelloServer.Builder libraryBuilder = HelloServer.builder().host("127.0.0.1").port(0);
      Integer perAddress = Integer.getInteger(PER_ADDRESS_PROPERTY);
      if (perAddress != null) { // every client of a benchmark comes from 127.0.0.1
        libraryBuilder.maxConnectionsPerAddress(perAddress);
      }
      HelloServer library = libraryBuilder.start();
      // The tutorial's server: default executor, StreamObserver, no flow control.
      Server grpcDefault =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(new DefaultGrpcService())
              .build()
              .start();
      // grpc-java's performance advice: run on the transport threads, manual flow control.
      Server grpcTuned =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .directExecutor()
              .addService(new TunedGrpcService())
              .build()
              .start();
      Servers servers = new Servers(library, grpcDefault, grpcTuned);
      try {
        for (Telemetry mode : telemetry) {
          OpenTelemetrySdk sdk = mode.newSdk();
          servers.sdks.add(sdk);
          servers.observed.put(
              mode,
              HelloServer.builder().host("127.0.0.1").port(0).openTelemetry(sdk).start());
        }
      } catch (IOException | RuntimeException e) {
        servers.close();
        throw e;
      }
      return servers;
    }

    ServerPorts ports() {
      Map<Implementation, Integer> ports = new EnumMap<>(Implementation.class);
      ports.put(Implementation.LIBRARY, library.port());
      ports.put(Implementation.GRPC_DEFAULT, grpcDefault.getPort());
      ports.put(Implementation.GRPC_TUNED, grpcTuned.getPort());
      Map<Telemetry, Integer> telemetry = new EnumMap<>(Telemetry.class);
      observed.forEach((mode, server) -> telemetry.put(mode, server.port()));
      return new ServerPorts(ports, telemetry);
    }

    @Override
    public void close() {
      library.shutdownNow();
      grpcDefault.shutdownNow();
      grpcTuned.shutdownNow();
      observed.values().forEach(HelloServer::shutdownNow);
      try {
        library.awaitTermination(Duration.ofSeconds(5));
        grpcDefault.awaitTermination(5, TimeUnit.SECONDS);
        grpcTuned.awaitTermination(5, TimeUnit.SECONDS);
        for (HelloServer server : observed.values()) {
          server.awaitTermination(Duration.ofSeconds(5));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        sdks.forEach(OpenTelemetrySdk::close);
      }
    }
  }

  private BenchmarkServer() {}

  public static void main(String[] args) throws Exception {
    PeakHeap heap = PeakHeap.install();
    long sampleMillis = Long.getLong(HEAP_SAMPLE_PROPERTY, 0);
    if (sampleMillis > 0) {
      heap.sampleEvery(Duration.ofMillis(sampleMillis));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PinningRecorder pinning = null;
    List<Telemetry> telemetry = new ArrayList<>();
    for (String mode : args) {
      telemetry.add(Telemetry.byKey(mode));
    }
    try (Servers servers = Servers.start(telemetry);
        BufferedReader commands =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println(servers.ports().line());
      System.out.flush();
      for (String command = commands.readLine();
          command != null && !command.equals("quit");
          command = commands.readLine()) {
        switch (command) {
          case "stats":
            System.out.println(
                new ServerStats(
                        threads.getThreadCount(),
                        threads.getPeakThreadCount(),
                        heap.peakBytes(),
                        OutOfMemoryLog.first() != null,
                        JitTime.millis())
                    .line());
            break;
          case "gc":
            System.out.println("gc liveHeap=" + heap.sampleNow());
            break;
          case "reset":
            heap.reset();
            threads.resetPeakThreadCount();
            System.out.println("ok");
            break;
          case "pinning-start":
            pinning = PinningRecorder.start();
            System.out.println("ok");
            break;
          case "pinning":
            if (pinning == null) {
              System.out.println("error no pinning-start before 'pinning'");
            } else {
              PinningRecorder.Report report = pinning.stop();
              pinning = null;
              System.out.println("pinning events=" + report.events() + " where=" + report.where());
            }
            break;
          default:
            System.out.println("error unknown command '" + command + "'");
        }
        System.out.flush();
      }
    }
    System.exit(0);
  }
}
