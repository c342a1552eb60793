package io.hellogrpc.examples;

import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The Go tutorial's server: {@code Hello} and {@code Channel} answer {@code "hello:" + value}.
 * SIGINT or SIGTERM shut it down gracefully: new calls are refused, open sessions get the grace
 * period to finish.
 */
final class ServerCommand {
  private ServerCommand() {}

  static int run(Options options, PrintStream out, PrintStream err)
      throws Options.UsageException, InterruptedException {
    options.allowOnly("port", "host");
    HelloServer.Builder builder =
        HelloServer.builder().port(options.integer("port", 1234, 0, 65_535));
    if (options.has("host")) {
      builder.host(options.string("host", null));
    }
    HelloServer server;
    try {
      server = builder.start();
    } catch (IOException e) {
      err.println(e.getMessage());
      return Main.FAILED;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("shutting down: refusing new calls, draining open sessions");
                  server.close();
                  out.println("stopped");
                },
                "hello-server-shutdown"));
    out.println("HelloService listening on port " + server.port());
    server.awaitTermination();
    return Main.OK;
  }
}
