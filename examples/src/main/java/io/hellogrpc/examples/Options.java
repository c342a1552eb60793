package io.hellogrpc.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --name value} options and {@code --flag}s, checked against what a command takes. */
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

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /** @param flags the options that take no value, such as {@code "reflection"} */
  static Options parse(String[] args, String... flags) throws UsageException {
    Set<String> valueless = Set.of(flags);
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || args[i].length() == 2) {
        throw new UsageException("expected an option like --port, got '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (valueless.contains(name)) {
        values.put(name, "");
        i--; // a flag takes no value
        continue;
      }
      if (i + 1 >= args.length) {
        throw new UsageException(args[i] + " needs a value");
      }
      values.put(name, args[i + 1]);
    }
    return new Options(values);
  }

  void allowOnly(String... names) throws UsageException {
    Set<String> allowed = Set.of(names);
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
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
