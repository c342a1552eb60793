package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cold-start workload once through, on the examples jar the reactor built before this module:
 * every launch reaches its first Hello reply, the class-data-sharing archive is created and used,
 * and a plaintext server and client load neither the TLS stack nor reflection, nor Netty's JFR
 * events.
 */
@Timeout(600)
class ColdStartWorkloadTest {
  private static final Path EXAMPLES_JAR = Path.of("..", "examples", "target", "hello-examples.jar");

  @Test
  void launchesEachVariantAndCountsWhatItLoaded() throws Exception {
    assertThat(EXAMPLES_JAR).as("built by the reactor before benchmarks").isRegularFile();
    ResultTable table = new ResultTable(List.of());
    List<Path> workDirsBefore = workDirs();

    ByteArrayOutputStream progress = new ByteArrayOutputStream(); // its log, shown if it fails
    PrintStream err = System.err;
    System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
    boolean ok;
    try {
      ok = new ColdStartWorkload(EXAMPLES_JAR, 1, null, false).run(table);
    } finally {
      System.setErr(err);
    }

    String rendered = table.render() + progress.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(rendered).isTrue();
    for (String command : List.of("demo", "client", "demo, CDS archive", "client, CDS archive")) {
      assertThat(figure(rendered, command + ": ms to first Hello reply")).hasValueSatisfying(ms -> assertThat(ms).isPositive());
      assertThat(figure(rendered, command + ": messages in the first second")).hasValueSatisfying(n -> assertThat(n).isPositive());
    }
    assertThat(figure(rendered, "CDS archive: MiB")).hasValueSatisfying(mib -> assertThat(mib).isPositive());
    assertThat(figure(rendered, "demo, CDS archive: classes from the archive"))
        .hasValueSatisfying(n -> assertThat(n).isGreaterThan(1000));
    for (String command : List.of("demo", "client")) {
      assertThat(figure(rendered, command + ": classes loaded")).hasValueSatisfying(n -> assertThat(n).isGreaterThan(1000));
      assertThat(figure(rendered, command + ": TLS stack classes loaded (unused)")).contains(0.0);
      assertThat(figure(rendered, command + ": reflection classes loaded (unused)")).contains(0.0);
      assertThat(figure(rendered, command + ": Netty JFR event classes loaded (unused)")).contains(0.0);
    }
    assertThat(workDirs()).as("its archives and logs are deleted").isEqualTo(workDirsBefore);
  }

  private static List<Path> workDirs() throws Exception {
    try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return temp.filter(path -> path.getFileName().toString().startsWith("hello-cold-start")).sorted().toList();
    }
  }

  /** The library's cell of a row, as rendered: the first number after the figure. */
  private static Optional<Double> figure(String rendered, String figure) {
    Matcher row =
        Pattern.compile("(?m)^cold-start\\s+" + Pattern.quote(figure) + "\\s+([0-9.]+)").matcher(rendered);
    return row.find() ? Optional.of(Double.parseDouble(row.group(1))) : Optional.empty();
  }
}
