package io.hellogrpc.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code java -jar hello-benchmarks.jar <workload|all> [options]}: runs the workloads, logs
 * progress on stderr, and prints one table on stdout. {@code jmh [JMH options]} runs the
 * microbenchmarks instead.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: java -jar hello-benchmarks.jar <workload> [options]",
          "",
          "workloads (see PERFORMANCE.md):",
          "  stream          one session, a sender and a receiver thread: messages/s",
          "  unary           sequential Hello calls: p50 and p99 latency, calls/s",
          "  slow-reader     a fast producer, a slow reader: peak live heap of client and server",
          "  many-sessions   concurrent sessions on one server (-Xmx512m): threads, heap, latency",
          "  virtual-threads sessions on one virtual thread each, blocking send/receive (JDK 21+):",
          "                  completion, heap per session, platform threads, carrier pinning (JFR)",
          "  cold-start      fresh JVMs of the examples jar (demo, client): time to the first Hello",
          "                  reply, messages in the first second; plain, with a CDS archive, and",
          "                  with an AOT cache on JDK 25+; classes loaded",
          "  all             all of them, one table (virtual-threads on JDK 21+ only)",
          "",
          "  jmh [JMH options]  the microbenchmarks of the hot path (codec, InboundQueue,",
          "                  OutboundGate) through JMH's own runner: jmh -h lists its options,",
          "                  jmh -l the benchmarks; e.g. jmh Codec -p chars=6",
          "",
          "options:",
          "  --rounds N          rounds per contender, after a warm-up (default 5)",
          "  --messages N        stream: messages per round (default 1000000)",
          "  --calls N           unary: calls per round (default 20000)",
          "  --slow-messages N   slow-reader: messages (default 1000000)",
          "  --sessions N        many-sessions: sessions (default 10000)",
          "  --session-messages N  many-sessions: messages per session (default 10)",
          "  --session-rounds N  many-sessions: rounds per contender, each a fresh pair of JVMs",
          "                      warmed by three unmeasured passes (default 3)",
          "  --grpc-go PATH      stream: also run the interop/go binary as a yardstick",
          "  --virtual-sessions N  virtual-threads: sessions (default 100000)",
          "  --virtual-messages N  virtual-threads: messages per session (default 10)",
          "  --cold-runs N       cold-start: launches per variant (default 5)",
          "  --examples-jar PATH cold-start: the jar (default examples/target/hello-examples.jar)",
          "  --go-client PATH    cold-start: the Go tutorial's client beside ours",
          "                      (interop/go/build/bin/seed-client; the server then takes port 1234)",
          "  --telemetry MODES   stream and unary: also the library observed through OpenTelemetry,",
          "                      a row per mode: metrics, traces-1, traces-100 (metrics and 1% or",
          "                      100% of traces sampled), comma-separated",
          "  --yardsticks LIST   stream and unary: the plain grpc-java yardsticks to run beside the",
          "                      library: grpc-default, grpc-tuned, comma-separated, or none",
          "                      (default both)",
          "");

  private static final Set<String> OPTIONS =
      Set.of(
          "rounds", "messages", "calls", "slow-messages", "sessions", "session-messages",
          "session-rounds", "grpc-go", "virtual-sessions", "virtual-messages", "cold-runs",
          "examples-jar", "go-client", "telemetry", "yardsticks");

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0 || Set.of("help", "--help", "-h").contains(args[0])) {
      (args.length == 0 ? System.err : System.out).print(USAGE_TEXT);
      return args.length == 0 ? USAGE : OK;
    }
    if (args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length)); // exits by itself
      return OK;
    }
    if (args[0].equals(VirtualThreadsWorkload.NAME) && !VirtualThreads.supported()) {
      System.err.println(VirtualThreads.unsupportedMessage(VirtualThreadsWorkload.NAME));
      return FAILED;
    }
    List<Workload> workloads;
    Path grpcGo;
    Path goClient;
    try {
      Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length), OPTIONS);
      grpcGo = executable(options, "grpc-go");
      goClient = executable(options, "go-client");
      workloads = workloads(args[0], options, grpcGo, goClient);
    } catch (Options.UsageException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE_TEXT);
      return USAGE;
    }

    List<String> yardsticks =
        new ArrayList<>(List.of(Implementation.GRPC_DEFAULT.label, Implementation.GRPC_TUNED.label));
    if (grpcGo != null || goClient != null) {
      yardsticks.add(GrpcGoContender.LABEL);
    }
    ResultTable table = new ResultTable(yardsticks);
    if (args[0].equals("all") && !VirtualThreads.supported()) {
      table.note("virtual-threads: skipped: " + VirtualThreads.unsupportedMessage(VirtualThreadsWorkload.NAME));
    }
    boolean libraryOk = true;
    List<String> durations = new ArrayList<>();
    for (Workload workload : workloads) {
      Log.info("=== " + workload.name());
      long start = System.nanoTime();
      try {
        libraryOk &= workload.run(table);
      } catch (Exception e) {
        libraryOk = false;
        table.note(workload.name() + " could not run: " + BenchmarkFailure.describe(e));
        Log.info(workload.name() + " could not run: " + BenchmarkFailure.describe(e));
      }
      String took = String.format(Locale.ROOT, "%s %.0f s", workload.name(), (System.nanoTime() - start) / 1e9);
      durations.add(took);
      Log.info("=== " + took);
    }
    System.out.print(header(args));
    System.out.print(table.render());
    System.out.println("took: " + String.join(", ", durations));
    return libraryOk ? OK : FAILED;
  }

  /** The executable an option names, or null if it was not given. */
  private static Path executable(Options options, String option) throws Options.UsageException {
    String value = options.string(option, null);
    Path path = value == null ? null : Path.of(value).toAbsolutePath();
    if (path != null && !Files.isExecutable(path)) {
      throw new Options.UsageException("--" + option + ": no executable at " + path);
    }
    return path;
  }

  private static List<Workload> workloads(String name, Options options, Path grpcGo, Path goClient)
      throws Options.UsageException {
    int rounds = options.integer("rounds", 5, 1, 1_000);
    List<Telemetry> telemetry = Telemetry.parseList(options.string("telemetry", null));
    Set<Implementation> yardsticks = Implementation.yardsticks(options.string("yardsticks", null));
    Workload stream =
        new StreamWorkload(
            options.integer("messages", 1_000_000, 1, Integer.MAX_VALUE),
            rounds,
            grpcGo,
            telemetry,
            yardsticks);
    Workload unary =
        new UnaryWorkload(
            options.integer("calls", 20_000, 1, 100_000_000), rounds, telemetry, yardsticks);
    Workload slowReader =
        new SlowReaderWorkload(options.integer("slow-messages", 1_000_000, 5, Integer.MAX_VALUE));
    Workload manySessions =
        new ManySessionsWorkload(
            options.integer("sessions", 10_000, 1, 1_000_000),
            options.integer("session-messages", 10, 1, 1_000_000),
            options.integer("session-rounds", 3, 1, 1_000));
    Workload virtualThreads =
        new VirtualThreadsWorkload(
            options.integer("virtual-sessions", 100_000, 1, 10_000_000),
            options.integer("virtual-messages", 10, 1, 1_000_000));
    Workload coldStart =
        new ColdStartWorkload(
            Path.of(options.string("examples-jar", ColdStartWorkload.DEFAULT_JAR.toString())),
            options.integer("cold-runs", 5, 1, 1_000),
            goClient);
    switch (name) {
      case StreamWorkload.NAME:
        return List.of(stream);
      case UnaryWorkload.NAME:
        return List.of(unary);
      case SlowReaderWorkload.NAME:
        return List.of(slowReader);
      case ManySessionsWorkload.NAME:
        return List.of(manySessions);
      case VirtualThreadsWorkload.NAME:
        return List.of(virtualThreads);
      case ColdStartWorkload.NAME:
        return List.of(coldStart);
      case "all":
        List<Workload> all = new ArrayList<>(List.of(stream, unary, slowReader, manySessions));
        if (VirtualThreads.supported()) {
          all.add(virtualThreads);
        }
        all.add(coldStart);
        return all;
      default:
        throw new Options.UsageException("unknown workload: " + name);
    }
  }

  /** The machine, the JVM and the command, so a pasted table says where it came from. */
  static String header(String[] args) {
    Runtime runtime = Runtime.getRuntime();
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    String classPath = System.getProperty("java.class.path");
    command.add(classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
        ? "-jar " + classPath
        : "-cp " + classPath + " " + Main.class.getName());
    command.addAll(Arrays.asList(args));
    return String.join(
        "\n",
        "hello-grpc benchmarks",
        String.format(
            "machine: %d cores, %s %s %s; %s %s",
            runtime.availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.version"),
            System.getProperty("os.arch"),
            System.getProperty("java.vm.name"),
            System.getProperty("java.vm.version")),
        "command: " + String.join(" ", command),
        "cells: median (min-max) over the rounds; lib/X: library / X, from the medians,",
        "  above 1 is better for rates, below 1 for latency, heap, threads and seconds",
        "",
        "");
  }
}
