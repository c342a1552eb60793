package io.hellogrpc.examples;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar hello-examples.jar <demo|server|client> [options]}. */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: java -jar hello-examples.jar <command> [options]",
          "",
          "commands:",
          "  demo                                   an embedded server and a client playing the",
          "                                         Go tutorial's scenario for about a second",
          "  server [--port P] [--host H] [--tls-cert F --tls-key F [--client-ca F]]",
          "         [--token T] [--reflection]",
          "                                         the tutorial's server (default port 1234,",
          "                                         every interface); Ctrl-C or SIGTERM drains it.",
          "                                         TLS from PEM files; --client-ca requires client",
          "                                         certificates it signed (mutual TLS); --token",
          "                                         requires 'authorization: Bearer T';",
          "                                         --reflection serves server reflection",
          "  client [--target HOST:PORT] [--messages N | --duration D]",
          "         [--tls-ca F] [--tls-cert F --tls-key F] [--token T]",
          "                                         the tutorial's client (default localhost:1234,",
          "                                         --duration 1s); D is like 500ms, 10s, 2m.",
          "                                         --tls-ca trusts that CA (TLS); --tls-cert and",
          "                                         --tls-key present a client certificate (TLS);",
          "                                         --token sends it, over TLS only",
          "");

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.print(USAGE_TEXT);
      return USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "demo":
          return DemoCommand.run(Options.parse(rest), out);
        case "server":
          return ServerCommand.run(Options.parse(rest, "reflection"), out, err);
        case "client":
          return ClientCommand.run(Options.parse(rest), out, err);
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
    } catch (Options.UsageException e) {
      err.println(e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
  }
}
