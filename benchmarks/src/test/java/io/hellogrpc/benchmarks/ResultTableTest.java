package io.hellogrpc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  @Test
  void printsAlignedColumnsMediansRangesAndRatios() {
    ResultTable table = new ResultTable(List.of("grpc default", "grpc tuned"));
    table.add(
        "stream",
        "messages/s",
        Map.of(
            "library", ResultTable.Cell.of(Summary.of(List.of(150_000.0, 140_000.0, 160_000.0)), ResultTable.Unit.RATE),
            "grpc default", ResultTable.Cell.of(50_000, ResultTable.Unit.RATE),
            "grpc tuned", ResultTable.Cell.text("FAILED")),
        true);
    table.add(
        "many-sessions",
        "server threads before",
        Map.of("library", ResultTable.Cell.of(12, ResultTable.Unit.COUNT)),
        false);
    table.note("stream, grpc tuned: timed out");

    List<String> lines = table.render().lines().toList();

    assertThat(lines.get(0)).matches("workload +figure +library +grpc default +grpc tuned +lib/default +lib/tuned");
    assertThat(lines.get(1)).matches("[- ]+");
    assertThat(lines.get(2))
        .startsWith("stream ")
        .contains("150.0k (140.0k-160.0k)", "50.0k", "FAILED")
        .endsWith("3.00x"); // no lib/tuned ratio against a failed cell
    assertThat(lines.get(3)).startsWith("many-sessions").endsWith(" 12");
    assertThat(lines.get(4)).isEqualTo("stream, grpc tuned: timed out");
    // Fixed width: every figure column ends where its header ends.
    int libraryEnd = lines.get(0).indexOf("library") + "library".length();
    assertThat(lines.get(2).indexOf(" (140.0k-160.0k)") + " (140.0k-160.0k)".length())
        .isGreaterThanOrEqualTo(libraryEnd);
    assertThat(lines.get(3).indexOf("12") + 2).isEqualTo(lines.get(2).indexOf("160.0k)") + 7);
  }

  /** Rounds that all read the same as printed, as thread counts do, need no range. */
  @Test
  void aMedianOfEqualRoundsHasNoRange() {
    assertThat(ResultTable.Cell.of(Summary.of(List.of(12.0, 12.0, 12.0)), ResultTable.Unit.COUNT).text())
        .isEqualTo("12");
    assertThat(ResultTable.Cell.of(Summary.of(List.of(1.58, 1.61)), ResultTable.Unit.KIB).text())
        .isEqualTo("1.6");
    assertThat(ResultTable.Cell.of(Summary.of(List.of(12.0, 14.0, 12.0)), ResultTable.Unit.COUNT).text())
        .isEqualTo("12 (12-14)");
  }

  /** Opening thousands of sessions takes a fraction of a second: two decimals there. */
  @Test
  void secondsKeepTwoDecimalsBelowTen() {
    assertThat(ResultTable.Unit.SECONDS.format(0.348)).isEqualTo("0.35");
    assertThat(ResultTable.Unit.SECONDS.format(12.34)).isEqualTo("12.3");
  }

  /** CPU per message is a few microseconds: two decimals there, fewer as figures grow. */
  @Test
  void microsecondsKeepTwoDecimalsBelowTen() {
    assertThat(ResultTable.Unit.MICROS.format(3.054)).isEqualTo("3.05");
    assertThat(ResultTable.Unit.MICROS.format(97.25)).isEqualTo("97.3");
    assertThat(ResultTable.Unit.MICROS.format(1234.5)).isEqualTo("1235");
  }

  /** --yardsticks: which plain grpc-java contenders run beside the library, which always runs. */
  @Test
  void yardsticksAreChosenByNameAndTheLibraryIsNotOne() throws Exception {
    assertThat(Implementation.yardsticks(null))
        .containsExactlyInAnyOrder(Implementation.GRPC_DEFAULT, Implementation.GRPC_TUNED);
    assertThat(Implementation.yardsticks("grpc-tuned")).containsExactly(Implementation.GRPC_TUNED);
    assertThat(Implementation.yardsticks("none")).isEmpty();
    assertThatThrownBy(() -> Implementation.yardsticks("library"))
        .isInstanceOf(Options.UsageException.class)
        .hasMessageContaining("'library'");
    assertThatThrownBy(() -> Implementation.yardsticks("grpc-fast"))
        .isInstanceOf(Options.UsageException.class)
        .hasMessage("--yardsticks takes grpc-default and grpc-tuned, comma-separated, or none: 'grpc-fast'");
  }

  /** --telemetry: a row per mode, its figure in the library's column, compared with off below. */
  @Test
  void eachOpenTelemetryModeIsARowBesideTheSameYardsticks() throws Exception {
    Map<String, ResultTable.Cell> cells =
        Map.of(
            "library", ResultTable.Cell.of(200_000, ResultTable.Unit.RATE),
            "grpc tuned", ResultTable.Cell.of(100_000, ResultTable.Unit.RATE),
            "library, OTel metrics", ResultTable.Cell.of(190_000, ResultTable.Unit.RATE),
            "library, OTel metrics + 100% traces", ResultTable.Cell.text("FAILED"));
    List<Telemetry> modes = Telemetry.parseList("metrics,traces-100");
    ResultTable table = new ResultTable(List.of("grpc tuned"));
    table.add("stream", "messages/s", Telemetry.rowOf(Telemetry.OFF, cells), true);
    for (Telemetry mode : modes) {
      table.add("stream", "messages/s, " + mode.label, Telemetry.rowOf(mode, cells), true);
    }
    table.note(Telemetry.costNote("stream", "messages/s", modes, cells));

    assertThat(table.render().lines().map(line -> line.replaceAll(" +", " ")))
        .containsExactly(
            "workload figure library grpc tuned lib/tuned",
            "-------- -------------------------------------- ------- ---------- ---------",
            "stream messages/s 200.0k 100.0k 2.00x",
            "stream messages/s, OTel metrics 190.0k 100.0k 1.90x",
            "stream messages/s, OTel metrics + 100% traces FAILED 100.0k",
            "stream, messages/s, OpenTelemetry on / off: OTel metrics 0.950x");
    assertThat(Telemetry.parseList("off,metrics,metrics")).containsExactly(Telemetry.METRICS);
    assertThatThrownBy(() -> Telemetry.parseList("metrics,logs"))
        .hasMessage("--telemetry takes metrics, traces-1 and traces-100, comma-separated: 'logs'");
  }

  @Test
  void summarizesRoundsAsMedianMinAndMax() {
    assertThat(Summary.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Summary(2.0, 1.0, 3.0, 3));
    assertThat(Summary.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
  }

  @Test
  void readsTheGrpcGoResultLine() {
    assertThat(
            GrpcGoContender.parse(
                "dialing...\ngrpc-go stream: 1000000 messages in 2.71 s = 369000 messages/s\n", 1_000_000))
        .hasMillis(2710);
  }

  @Test
  void shortCounts() {
    assertThat(StreamWorkload.shortCount(1_000_000)).isEqualTo("1M");
    assertThat(StreamWorkload.shortCount(200_000)).isEqualTo("200k");
    assertThat(StreamWorkload.shortCount(1234)).isEqualTo("1234");
  }
}
