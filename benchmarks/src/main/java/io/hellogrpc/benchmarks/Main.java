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
 * {@code java -jar hello-benchmarks.jar <stream|unary|slow-reader|many-sessions|all> [options]}:
 * runs the workloads, logs progress on stderr, and prints one table on stdout.
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
          "  all             all of them, one table",
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
          "  --grpc-go PATH      stream: also run the interop/go binary as a yardstick",
          "");

  private static final Set<String> OPTIONS =
      Set.of("rounds", "messages", "calls", "slow-messages", "sessions", "session-messages", "grpc-go");

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
    List<Workload> workloads;
    Path grpcGo;
    try {
      Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length), OPTIONS);
      String go = options.string("grpc-go", null);
      grpcGo = go == null ? null : Path.of(go).toAbsolutePath();
      if (grpcGo != null && !Files.isExecutable(grpcGo)) {
        throw new Options.UsageException("--grpc-go: no executable at " + grpcGo);
      }
      workloads = workloads(args[0], options, grpcGo);
    } catch (Options.UsageException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE_TEXT);
      return USAGE;
    }

    List<String> yardsticks =
        new ArrayList<>(List.of(Implementation.GRPC_DEFAULT.label, Implementation.GRPC_TUNED.label));
    if (grpcGo != null) {
      yardsticks.add(GrpcGoContender.LABEL);
    }
    ResultTable table = new ResultTable(yardsticks);
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

  private static List<Workload> workloads(String name, Options options, Path grpcGo)
      throws Options.UsageException {
    int rounds = options.integer("rounds", 5, 1, 1_000);
    Workload stream =
        new StreamWorkload(options.integer("messages", 1_000_000, 1, Integer.MAX_VALUE), rounds, grpcGo);
    Workload unary = new UnaryWorkload(options.integer("calls", 20_000, 1, 100_000_000), rounds);
    Workload slowReader =
        new SlowReaderWorkload(options.integer("slow-messages", 1_000_000, 5, Integer.MAX_VALUE));
    Workload manySessions =
        new ManySessionsWorkload(
            options.integer("sessions", 10_000, 1, 1_000_000),
            options.integer("session-messages", 10, 1, 1_000_000));
    switch (name) {
      case StreamWorkload.NAME:
        return List.of(stream);
      case UnaryWorkload.NAME:
        return List.of(unary);
      case SlowReaderWorkload.NAME:
        return List.of(slowReader);
      case ManySessionsWorkload.NAME:
        return List.of(manySessions);
      case "all":
        return List.of(stream, unary, slowReader, manySessions);
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
