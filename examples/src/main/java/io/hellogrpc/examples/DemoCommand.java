package io.hellogrpc.examples;

import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The main job: a server embedded on a free port, and a client playing the Go tutorial's scenario
 * against it. One {@code Hello}, then one {@code Channel} session where one thread sends and
 * another receives for about a second.
 */
final class DemoCommand {
  static final Usage USAGE =
      new Usage(
          "demo",
          "an embedded server and a client playing the Go tutorial's scenario",
          String.join(
              "\n",
              "A server embedded on a free port of 127.0.0.1 and a client playing the Go",
              "tutorial's scenario against it: one Hello, then a Channel session where one thread",
              "sends and another receives. Prints a summary with the rate."),
          List.of(
              Usage.Option.withValue(
                  "duration",
                  "D",
                  "how long the session runs, like 500ms, 10s or 2m (default 1s)")));

  private DemoCommand() {}

  static int run(Options options, PrintStream out)
      throws Options.UsageException, IOException, InterruptedException {
    Duration duration = options.duration("duration", Duration.ofSeconds(1));
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client =
            HelloClient.builder().target("127.0.0.1:" + server.port()).build()) {
      out.println("HelloService embedded on 127.0.0.1:" + server.port());
      out.println("From Server: " + client.hello("Hello Service"));
      Exchange.Result result =
          Exchange.run(client, i -> "Hello server " + i, Long.MAX_VALUE, duration, 5, out);
      out.println(result.summary());
      return result.ok() ? Main.OK : Main.FAILED;
    }
  }
}
