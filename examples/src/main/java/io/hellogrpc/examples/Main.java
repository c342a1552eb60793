package io.hellogrpc.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar hello-examples.jar <demo|server|client> [options]}. */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final List<Usage> COMMANDS =
      List.of(DemoCommand.USAGE, ServerCommand.USAGE, ClientCommand.USAGE);

  /** The list of commands, printed for {@code --help} and for a command line without one. */
  private static final String USAGE_TEXT = usageText();

  /** What a command does with its options; the usage check has passed. */
  private interface Command {
    int run(Options options) throws Exception;
  }

  /**
   * Netty's switch for its allocator's JFR events, under grpc-netty-shaded's relocated name. The
   * events are off unless a recording turns them on, yet loading them registers them with JFR,
   * which cost a cold start about 100 ms here (140 classes); these programs never record them.
   */
  static final String NETTY_JFR_EVENTS = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty(NETTY_JFR_EVENTS) == null) { // -D on the command line wins
      System.setProperty(NETTY_JFR_EVENTS, "false");
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.print(USAGE_TEXT);
      return USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "demo":
        return run(DemoCommand.USAGE, rest, out, err, options -> DemoCommand.run(options, out));
      case "server":
        return run(
            ServerCommand.USAGE, rest, out, err, options -> ServerCommand.run(options, out, err));
      case "client":
        return run(
            ClientCommand.USAGE, rest, out, err, options -> ClientCommand.run(options, out, err));
      case "help":
      case "--help":
      case "-h":
        out.print(USAGE_TEXT);
        return OK;
      default:
        err.println("unknown command: " + args[0]);
        err.print(USAGE_TEXT);
        return USAGE;
    }
  }

  /** Runs {@code command}, or prints its help; a command line it does not take gets its usage. */
  private static int run(
      Usage usage, String[] args, PrintStream out, PrintStream err, Command command)
      throws Exception {
    try {
      Options options = Options.parse(args, usage);
      if (options.has("help")) {
        out.print(usage.text());
        return OK;
      }
      return command.run(options);
    } catch (Options.UsageException e) {
      err.println(e.getMessage());
      err.print(usage.text());
      return USAGE;
    }
  }

  private static String usageText() {
    StringBuilder text =
        new StringBuilder("usage: java -jar hello-examples.jar <command> [options]\n\ncommands:\n");
    for (Usage command : COMMANDS) {
      text.append(String.format("  %-8s%s\n", command.command(), command.summary()));
    }
    return text.append(
            "\n'java -jar hello-examples.jar <command> --help' lists a command's options.\n")
        .toString();
  }
}
