package io.hellogrpc.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table a run prints: a row per figure, a column per implementation, and the library's
 * ratio to each yardstick. Plain fixed-width text, to paste into the README as it is.
 */
final class ResultTable {
  /** How a figure is written. */
  enum Unit {
    RATE,
    MICROS,
    MILLIS,
    MIB,
    KIB,
    COUNT,
    SECONDS;

    String format(double value) {
      switch (this) {
        case RATE:
          if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
          }
          return value >= 1e4 ? String.format(Locale.ROOT, "%.1fk", value / 1e3) : String.format(Locale.ROOT, "%.0f", value);
        case MICROS:
          return String.format(Locale.ROOT, value >= 1000 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
        case SECONDS:
          if (value < 10) { // 0.3 s against 0.3 s read as level where the rounds said 0.35 and 0.26
            return String.format(Locale.ROOT, "%.2f", value);
          }
          return String.format(Locale.ROOT, value >= 1000 ? "%.0f" : "%.1f", value);
        case MILLIS:
        case MIB:
        case KIB:
          return String.format(Locale.ROOT, value >= 1000 ? "%.0f" : "%.1f", value);
        default:
          return String.format(Locale.ROOT, "%.0f", value);
      }
    }
  }

  /** One cell: its text, and the number behind it for ratios (NaN when there is none). */
  record Cell(String text, double value) {
    static Cell of(double value, Unit unit) {
      return new Cell(unit.format(value), value);
    }

    /** The median, with the min-max range when the rounds read differently as printed. */
    static Cell of(Summary summary, Unit unit) {
      String text = unit.format(summary.median());
      String min = unit.format(summary.min());
      String max = unit.format(summary.max());
      if (!min.equals(max)) {
        text += " (" + min + "-" + max + ")";
      }
      return new Cell(text, summary.median());
    }

    /** A cell without a number, such as "OOM" or "FAILED". */
    static Cell text(String text) {
      return new Cell(text, Double.NaN);
    }
  }

  private record Row(String workload, String figure, Map<String, Cell> cells, boolean ratios) {}

  private static final String LIBRARY = Implementation.LIBRARY.label;

  private final List<String> columns;
  private final Map<String, String> ratioColumns = new LinkedHashMap<>(); // header -> yardstick
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** @param yardsticks the columns beside the library's, in order */
  ResultTable(List<String> yardsticks) {
    this.columns = new ArrayList<>();
    columns.add(LIBRARY);
    columns.addAll(yardsticks);
    for (String yardstick : yardsticks) {
      ratioColumns.put("lib/" + yardstick.replace("grpc ", "").replace("grpc-", ""), yardstick);
    }
  }

  /**
   * Adds a row; {@code cells} maps column names to cells, missing ones print blank. With
   * {@code ratios}, the ratio columns show library ÷ yardstick.
   */
  void add(String workload, String figure, Map<String, Cell> cells, boolean ratios) {
    rows.add(new Row(workload, figure, Map.copyOf(cells), ratios));
  }

  /** A line printed under the table, such as why a cell says FAILED. */
  void note(String note) {
    notes.add(note);
  }

  String render() {
    List<String> header = new ArrayList<>(List.of("workload", "figure"));
    header.addAll(columns);
    header.addAll(ratioColumns.keySet());
    List<List<String>> lines = new ArrayList<>();
    for (Row row : rows) {
      List<String> line = new ArrayList<>(List.of(row.workload(), row.figure()));
      for (String column : columns) {
        Cell cell = row.cells().get(column);
        line.add(cell == null ? "" : cell.text());
      }
      for (String yardstick : ratioColumns.values()) {
        line.add(row.ratios() ? ratio(row.cells().get(LIBRARY), row.cells().get(yardstick)) : "");
      }
      lines.add(line);
    }
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> line : lines) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    appendLine(out, rule, widths);
    for (List<String> line : lines) {
      appendLine(out, line, widths);
    }
    for (String note : notes) {
      out.append(note).append('\n');
    }
    return out.toString();
  }

  private static String ratio(Cell library, Cell yardstick) {
    if (library == null || yardstick == null
        || Double.isNaN(library.value()) || Double.isNaN(yardstick.value())
        || yardstick.value() == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2fx", library.value() / yardstick.value());
  }

  /** The first two columns left-aligned, the figures right-aligned. */
  private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(i < 2 ? cell + pad : pad + cell);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
