package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry is optional: a host application without it on its class path runs a server and a
 * client as before, with or without an event listener, and the JVM loads no OpenTelemetry class
 * (its class-loading log, {@code -verbose:class}, names none). The control run, with OpenTelemetry
 * on the class path and given to the builders, shows the log would name them.
 */
@Timeout(120)
class WithoutOpenTelemetryTest {
  @TempDir Path dir;

  /** This JVM's class path without OpenTelemetry: its jars, and grpc's, which needs them. */
  private static String classPathWithoutOpenTelemetry() {
    return classPathWithout(
        path -> path.contains("/io/opentelemetry/") || path.contains("grpc-opentelemetry"));
  }

  /**
   * This JVM's class path without what {@code left} matches, nor SLF4J: the test class path has it
   * for TestNG, without a provider, and Netty finding it would print SLF4J's warnings; a host
   * application brings its own logging.
   */
  private static String classPathWithout(Predicate<String> left) {
    String separator = File.pathSeparator;
    List<String> entries =
        Arrays.stream(System.getProperty("java.class.path").split(separator))
            .filter(entry -> !left.test(entry.replace('\\', '/')))
            .filter(entry -> !entry.replace('\\', '/').contains("/org/slf4j/"))
            .toList();
    return String.join(separator, entries);
  }

  private record Run(int exitCode, List<String> output, List<String> loadedOpenTelemetry) {}

  private Run run(String classPath, String... args) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", // Netty's native transport (JEP 472)
                "-verbose:class",
                "-cp",
                classPath,
                WithoutOpenTelemetryMain.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the child JVM finishes").isTrue();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    List<String> output =
        lines.stream().filter(line -> !line.contains("[class,load]")).toList();
    List<String> loaded =
        lines.stream()
            .filter(line -> line.contains("[class,load]") && line.contains(" io.opentelemetry."))
            .collect(Collectors.toList());
    return new Run(process.exitValue(), output, loaded);
  }

  @Test
  void withoutOpenTelemetryOnTheClassPathEverythingWorksAndNoneOfItsClassesLoads()
      throws Exception {
    Run run = run(classPathWithoutOpenTelemetry());

    assertThat(run.exitCode()).as(String.join("\n", run.output())).isZero();
    assertThat(run.output())
        .containsExactly(
            "OpenTelemetry is not on the class path",
            "plain: hello:you, 100 replies in order",
            "with a listener: hello:you, 100 replies in order",
            "listener events: 4");
    assertThat(run.loadedOpenTelemetry()).isEmpty();
  }

  /** grpc's metrics need grpc-opentelemetry, optional too: the setter says so. */
  @Test
  void withOpenTelemetryButWithoutGrpcOpenTelemetryTheSetterSaysWhatToAdd() throws Exception {
    Run run = run(classPathWithout(path -> path.contains("grpc-opentelemetry")), "opentelemetry");

    assertThat(run.exitCode()).as(String.join("\n", run.output())).isZero();
    assertThat(run.output())
        .containsExactly(
            "OpenTelemetry is on the class path",
            "plain: hello:you, 100 replies in order",
            "with a listener: hello:you, 100 replies in order",
            "listener events: 4",
            "refused: openTelemetry(...) needs io.grpc:grpc-opentelemetry on the class path, at"
                + " the version of the application's other io.grpc artifacts (grpc-bom): the"
                + " library declares it optional, as it does OpenTelemetry");
  }

  @Test
  void theControlRunWithOpenTelemetryShowsItsClassesInTheLog() throws Exception {
    Run run = run(classPathWithout(path -> false), "opentelemetry");

    assertThat(run.exitCode()).as(String.join("\n", run.output())).isZero();
    assertThat(run.output())
        .containsExactly(
            "OpenTelemetry is on the class path",
            "plain: hello:you, 100 replies in order",
            "with a listener: hello:you, 100 replies in order",
            "listener events: 4",
            "with OpenTelemetry: hello:you, 100 replies in order");
    assertThat(run.loadedOpenTelemetry())
        .as("what the library loads once it is given OpenTelemetry")
        .anyMatch(line -> line.contains(" io.opentelemetry.api.trace.propagation."))
        .anyMatch(line -> line.contains(" io.opentelemetry.api.metrics."));
  }
}
