package io.hellogrpc.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --name value} options and {@code --flag}s, checked against a command's {@link Usage}. */
final class Options {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  /** A command line that does not make sense; the message says what is wrong. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values;
  private final Map<String, List<String>> repeated; // every value of a repeatable option

  private Options(Map<String, String> values, Map<String, List<String>> repeated) {
    this.values = values;
    this.repeated = repeated;
  }

  /**
   * Reads {@code --name value} options and {@code --flag}s, in any order.
   *
   * @throws UsageException for an option {@code usage} does not list, or one without its value
   */
  static Options parse(String[] args, Usage usage) throws UsageException {
    Map<String, String> values = new HashMap<>();
    Map<String, List<String>> repeated = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || args[i].length() == 2) {
        throw new UsageException("expected an option such as --help, got '" + args[i] + "'");
      }
      Usage.Option option = usage.option(args[i].substring(2));
      if (option == null) {
        throw new UsageException(
            "unknown option " + args[i] + " (" + usage.command() + " --help lists the options)");
      }
      if (!option.takesValue()) {
        values.put(option.name(), "");
      } else if (i + 1 < args.length) {
        values.put(option.name(), args[++i]);
        if (option.repeatable()) {
          repeated.computeIfAbsent(option.name(), name -> new ArrayList<>()).add(args[i]);
        }
      } else {
        throw new UsageException(args[i] + " needs a value: " + option.synopsis());
      }
    }
    return new Options(values, repeated);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** Every value of a repeatable option, in the order given; empty if it was not given. */
  List<String> all(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  /** The file an option names; it is read when the library is given it. */
  Path path(String name) {
    return Path.of(values.get(name));
  }

  /** Checks that options which only make sense together were given together. */
  void together(String first, String second) throws UsageException {
    if (has(first) != has(second)) {
      throw new UsageException("--" + first + " and --" + second + " go together: give both");
    }
  }

  /** Checks that {@code dependent} comes only with {@code needed}. */
  void needs(String dependent, String needed) throws UsageException {
    if (has(dependent) && !has(needed)) {
      throw new UsageException("--" + dependent + " needs --" + needed);
    }
  }

  int integer(String name, int fallback, int min, int max) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new UsageException("--" + name + " must be between " + min + " and " + max + ": " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number: '" + value + "'");
    }
  }

  Duration duration(String name, Duration fallback) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UsageException("--" + name + " must be a positive duration like 500ms, 10s or 2m: '" + value + "'");
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofHours(amount);
    }
  }
}
