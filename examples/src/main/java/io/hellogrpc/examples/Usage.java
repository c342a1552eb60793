package io.hellogrpc.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command takes, in one place: {@link Options#parse} checks a command line against it and
 * {@code --help} prints it, so the two cannot disagree.
 *
 * @param command the command's name, such as {@code "server"}
 * @param summary one line, for the list of commands
 * @param description what the command does, for its help
 */
record Usage(String command, String summary, String description, List<Option> options) {
  /**
   * One {@code --name}.
   *
   * @param value what its value is, such as {@code "P"}; null for a flag that takes none
   * @param repeatable whether it may be given several times, each value kept
   */
  record Option(String name, String value, String help, boolean repeatable) {
    static Option withValue(String name, String value, String help) {
      return new Option(name, value, help, false);
    }

    /** An option that may be given several times, such as {@code --header}. */
    static Option repeatable(String name, String value, String help) {
      return new Option(name, value, help + " (repeatable)", true);
    }

    static Option flag(String name, String help) {
      return new Option(name, null, help, false);
    }

    boolean takesValue() {
      return value != null;
    }

    String synopsis() {
      return "--" + name + (value == null ? "" : " " + value);
    }
  }

  private static final Option HELP = Option.flag("help", "print this help and exit");

  /** The option named {@code name}, or null if the command takes none such. */
  Option option(String name) {
    return allOptions().stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
  }

  /** The command's help: what it does and every option it takes. */
  String text() {
    List<Option> all = allOptions();
    int width = all.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
    StringBuilder text =
        new StringBuilder()
            .append("usage: java -jar hello-examples.jar ")
            .append(command)
            .append(" [options]\n\n")
            .append(description)
            .append("\n\noptions:\n");
    for (Option option : all) {
      text.append("  ")
          .append(String.format("%-" + width + "s", option.synopsis()))
          .append("  ")
          .append(option.help())
          .append('\n');
    }
    return text.toString();
  }

  private List<Option> allOptions() {
    List<Option> all = new ArrayList<>(options);
    all.add(HELP);
    return all;
  }
}
