package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * cold-start: what a fresh JVM of the examples jar takes to be useful, launched as a user launches
 * it, on the JVM running the benchmark: {@code demo} (server and client in one JVM) and
 * {@code client} against a server that is already running. Each is timed from the launch to the
 * first {@code Hello} reply ({@code From Server:}); "messages in the first second" is what the
 * command's one-second session moved (its summary line).
 *
 * <p>Beside the plain launch, the same with a class-data-sharing archive of the jar's classes
 * (dynamic AppCDS, JDK 13+: trained by one {@code demo} with {@code -XX:ArchiveClassesAtExit},
 * used with {@code -XX:SharedArchiveFile}) and, on JDK 25+, an AOT cache (JEP 483/514/515:
 * {@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), with their price: size and the time to
 * create them. The variants alternate, launch by launch, so they share the machine's mood.
 *
 * <p>One more {@code demo} and {@code client} per variant run with {@code -Xlog:class+load} and
 * count the classes loaded: in all, from the archive, and those of features the commands do not use
 * (TLS, health, reflection), which a lean start would not load.
 *
 * <p>With {@code --go-client}, the tutorial's Go client ({@code interop/go}'s seed-client, which
 * dials localhost:1234 and logs every reply) runs beside {@code client}; the server then listens
 * on 127.0.0.1:1234.
 */
final class ColdStartWorkload implements Workload {
  static final String NAME = "cold-start";
  static final Path DEFAULT_JAR = Path.of("examples", "target", "hello-examples.jar");
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern SUMMARY = Pattern.compile("sent (\\d+), received (\\d+), (.*), (\\d+) messages/s");
  private static final String GO_REPLY = "Stream server :";
  private static final int GO_PORT = 1234;

  /** Classes of features that {@code demo} and {@code client} do not use, by name. */
  private static final Map<String, Pattern> UNUSED_FEATURES = unusedFeatures();

  private static Map<String, Pattern> unusedFeatures() {
    Map<String, Pattern> features = new LinkedHashMap<>();
    // The TLS stack itself (Netty's SslHandler and contexts, the JDK's engine, our PEM reading),
    // not the credential types that say "plaintext".
    features.put(
        "TLS stack",
        Pattern.compile(
            "\\.netty\\.handler\\.ssl\\.|sun\\.security\\.ssl\\.|io\\.hellogrpc\\..*\\.(TlsIdentity|Pem)\\b"));
    features.put("health", Pattern.compile("io\\.grpc\\.health\\.|io\\.grpc\\.(protobuf\\.)?services\\.Health"));
    features.put("reflection", Pattern.compile("io\\.grpc\\.reflection\\.|ProtoReflectionService"));
    // Netty's allocator events for JFR: registering them cost a cold start about 100 ms, and the
    // examples jar turns them off (Main.NETTY_JFR_EVENTS).
    features.put("Netty JFR event", Pattern.compile("\\.netty\\.buffer\\.\\w+Event\\b"));
    return features;
  }

  /** A way to launch the JVM: its name in the table, the flags, and what creating it cost. */
  private record Variant(String label, List<String> flags, double seconds, long bytes) {
    String suffix() {
      return label.isEmpty() ? "" : ", " + label;
    }
  }

  /** One figure over the launches. */
  private static final class Figures {
    final Map<String, List<Double>> values = new LinkedHashMap<>();

    void add(String figure, double value) {
      values.computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
    }
  }

  private final Path examplesJar;
  private final int runs;
  private final Path goClient;
  private final boolean aotCache;
  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final List<String> failures = new ArrayList<>();

  ColdStartWorkload(Path examplesJar, int runs, Path goClient) {
    this(examplesJar, runs, goClient, true);
  }

  /** @param aotCache whether to try an AOT cache on JDK 25+ (the test leaves out its minute) */
  ColdStartWorkload(Path examplesJar, int runs, Path goClient, boolean aotCache) {
    this.examplesJar = examplesJar.toAbsolutePath();
    this.runs = runs;
    this.goClient = goClient;
    this.aotCache = aotCache;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean run(ResultTable table) throws Exception {
    if (!Files.isRegularFile(examplesJar)) {
      throw new BenchmarkFailure(
          "no examples jar at " + examplesJar + ": build it (mvn -B -q -DskipTests package) or give"
              + " --examples-jar");
    }
    Path work = Files.createTempDirectory("hello-cold-start");
    try {
      List<Variant> variants = variants(work);
      Figures library = new Figures();
      Figures go = new Figures();
      for (int round = 0; round < runs; round++) {
        for (Variant variant : variants) {
          measure(library, "demo" + variant.suffix(), variant.flags(), List.of("demo"));
        }
      }
      for (Variant variant : variants) {
        countClasses(library, "demo" + variant.suffix(), variant, List.of("demo"), work);
      }
      try (ExamplesServer server = ExamplesServer.start(command(List.of(), List.of(
          "server", "--host", "127.0.0.1", "--port", goClient == null ? "0" : Integer.toString(GO_PORT))))) {
        List<String> client =
            List.of("client", "--target", "127.0.0.1:" + server.port, "--duration", "1s");
        ColdRun.run(command(List.of(), client), RUN_TIMEOUT); // the server's own warm-up, not counted
        for (int round = 0; round < runs; round++) {
          for (Variant variant : variants) {
            measure(library, "client" + variant.suffix(), variant.flags(), client);
          }
          if (goClient != null) {
            measureGo(go, server);
          }
        }
        for (Variant variant : variants) {
          countClasses(library, "client" + variant.suffix(), variant, client, work);
        }
      }
      addRows(table, library, go, variants);
    } finally {
      deleteAll(work);
    }
    failures.forEach(failure -> table.note("cold-start: " + failure));
    table.note(
        "cold-start: launched with " + java + "; times from the launch to the first Hello reply;"
            + " median (min-max) of " + runs + " launches"
            + (goClient == null ? "" : "; grpc-go: the tutorial's seed client, " + goClient));
    return failures.isEmpty();
  }

  /** The plain launch, and each archive that could be created here. */
  private List<Variant> variants(Path work) throws IOException, InterruptedException {
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("", List.of(), Double.NaN, -1));
    Path archive = work.resolve("hello-examples.jsa");
    Variant cds =
        train("CDS archive", "-XX:ArchiveClassesAtExit=" + archive, "-XX:SharedArchiveFile=" + archive, archive);
    if (cds != null) {
      variants.add(cds);
    }
    if (aotCache && Runtime.version().feature() >= 25) {
      Path cache = work.resolve("hello-examples.aot");
      Variant aot = train("AOT cache", "-XX:AOTCacheOutput=" + cache, "-XX:AOTCache=" + cache, cache);
      if (aot != null) {
        variants.add(aot);
      }
    }
    return variants;
  }

  /** One training {@code demo} that writes {@code file}; null (and a note) if it could not. */
  private Variant train(String label, String create, String use, Path file)
      throws IOException, InterruptedException {
    Log.info("cold-start: creating the " + label + " (" + create + ")");
    long start = System.nanoTime();
    ColdRun.Result training = ColdRun.run(command(List.of(create), List.of("demo")), RUN_TIMEOUT);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (training.exitCode() != 0 || !Files.isRegularFile(file)) {
      failures.add("could not create the " + label + " (exit " + training.exitCode() + "): " + training.tail());
      return null;
    }
    return new Variant(label, List.of(use), seconds, Files.size(file));
  }

  private void measure(Figures figures, String what, List<String> flags, List<String> args)
      throws IOException, InterruptedException {
    ColdRun.Result result = ColdRun.run(command(flags, args), RUN_TIMEOUT);
    Matcher summary = summary(result.lines());
    if (!result.ok() || summary == null) {
      failures.add(what + " failed (exit " + result.exitCode() + "): " + result.tail());
      return;
    }
    figures.add(what + ": ms to first Hello reply", result.millisToHello());
    figures.add(what + ": messages in the first second", Double.parseDouble(summary.group(2)));
    Log.info(String.format("cold-start %s: first Hello reply after %.0f ms, %s messages", what,
        result.millisToHello(), summary.group(2)));
  }

  private void measureGo(Figures figures, ExamplesServer server)
      throws IOException, InterruptedException {
    server.output.takeAvailable(); // what it printed before: not about this launch
    ColdRun.Result result = ColdRun.run(List.of(goClient.toString()), RUN_TIMEOUT);
    if (!result.ok()) {
      // The client logs only grpc-go's error (EOF when its send failed first): the server says why.
      failures.add("the Go client failed (exit " + result.exitCode() + "): " + result.tail()
          + "; the server printed meanwhile: " + server.messagesMeanwhile());
      return;
    }
    long replies = result.lines().stream().filter(line -> line.contains(GO_REPLY)).count();
    figures.add("client: ms to first Hello reply", result.millisToHello());
    figures.add("client: messages in the first second", replies);
    Log.info(String.format("cold-start go client: first Hello reply after %.0f ms, %d messages",
        result.millisToHello(), replies));
  }

  /** One launch with -Xlog:class+load, counting what it loaded. */
  private void countClasses(Figures figures, String what, Variant variant, List<String> args, Path work)
      throws IOException, InterruptedException {
    Path log = work.resolve("classes-" + what.replaceAll("[^a-z]+", "-") + ".log");
    List<String> flags = new ArrayList<>(variant.flags());
    flags.add("-Xlog:class+load=info:file=" + log);
    ColdRun.Result result = ColdRun.run(command(flags, args), RUN_TIMEOUT);
    if (!result.ok() || !Files.isRegularFile(log)) {
      failures.add(what + " with -Xlog:class+load failed (exit " + result.exitCode() + "): " + result.tail());
      return;
    }
    List<String> loaded = Files.readAllLines(log);
    figures.add(what + ": classes loaded", loaded.size());
    if (!variant.label().isEmpty()) {
      figures.add(what + ": classes from the archive",
          loaded.stream().filter(line -> line.contains("source: shared objects file")).count());
    } else {
      for (Map.Entry<String, Pattern> feature : UNUSED_FEATURES.entrySet()) {
        List<String> classes =
            loaded.stream().filter(line -> feature.getValue().matcher(line).find()).toList();
        figures.add(what + ": " + feature.getKey() + " classes loaded (unused)", classes.size());
        if (!classes.isEmpty()) {
          Log.info("cold-start " + what + " loads " + classes.size() + " " + feature.getKey()
              + " classes, first: " + classes.get(0).replaceAll("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] *", ""));
        }
      }
    }
  }

  private void addRows(ResultTable table, Figures library, Figures go, List<Variant> variants) {
    for (Map.Entry<String, List<Double>> figure : library.values.entrySet()) {
      Map<String, ResultTable.Cell> cells = new HashMap<>();
      cells.put(Implementation.LIBRARY.label, cell(figure.getKey(), figure.getValue()));
      List<Double> goValues = go.values.get(figure.getKey());
      if (goValues != null) {
        cells.put(GrpcGoContender.LABEL, cell(figure.getKey(), goValues));
      }
      table.add(NAME, figure.getKey(), cells, goValues != null);
    }
    for (Variant variant : variants) {
      if (!variant.label().isEmpty()) {
        table.add(NAME, variant.label() + ": MiB",
            Map.of(Implementation.LIBRARY.label, ResultTable.Cell.of(variant.bytes() / 1024.0 / 1024.0, ResultTable.Unit.MIB)),
            false);
        table.add(NAME, variant.label() + ": seconds to create (one demo)",
            Map.of(Implementation.LIBRARY.label, ResultTable.Cell.of(variant.seconds(), ResultTable.Unit.SECONDS)),
            false);
      }
    }
  }

  private static ResultTable.Cell cell(String figure, List<Double> values) {
    ResultTable.Unit unit = figure.contains(" ms ") ? ResultTable.Unit.MILLIS : ResultTable.Unit.COUNT;
    return ResultTable.Cell.of(Summary.of(values), unit);
  }

  private static Matcher summary(List<String> lines) {
    for (String line : lines) {
      Matcher matcher = SUMMARY.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
    return null;
  }

  /** {@code java <flags> -jar <examples jar> <args>}, as a user types it. */
  private List<String> command(List<String> flags, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(flags);
    command.add("-jar");
    command.add(examplesJar.toString());
    command.addAll(args);
    return command;
  }

  private static void deleteAll(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The examples jar's {@code server}, running while the clients launch. */
  private static final class ExamplesServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("HelloService listening on port (\\d+)");
    final Process process;
    final ProcessLines output;
    final int port;

    private ExamplesServer(Process process, ProcessLines output, int port) {
      this.process = process;
      this.output = output;
      this.port = port;
    }

    /** The lines it printed since last asked, stack frames left out, the last ten at most. */
    String messagesMeanwhile() {
      List<String> messages =
          output.takeAvailable().stream()
              .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
              .toList();
      return messages.isEmpty() ? "nothing" : ColdRun.lastLines(messages, 10);
    }

    static ExamplesServer start(List<String> command) throws IOException, InterruptedException {
      Process process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true));
      ProcessLines output = new ProcessLines(process.getInputStream(), "cold-start-server-output");
      try {
        for (String line = output.next(RUN_TIMEOUT); line != null; line = output.next(RUN_TIMEOUT)) {
          Matcher listening = LISTENING.matcher(line);
          if (listening.find()) {
            return new ExamplesServer(process, output, Integer.parseInt(listening.group(1)));
          }
        }
        throw new IOException("the examples server exited before listening");
      } catch (TimeoutException | IOException e) {
        process.destroy();
        ChildProcesses.stop(process, 10);
        throw new IOException("the examples server did not start: " + e.getMessage(), e);
      }
    }

    /** SIGTERM: the server drains and exits. */
    @Override
    public void close() {
      process.destroy();
      ChildProcesses.stop(process, 15);
    }
  }
}
