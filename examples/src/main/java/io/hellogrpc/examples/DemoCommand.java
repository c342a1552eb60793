package io.hellogrpc.examples;

import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The main job: a server embedded on a free port, and a client playing the Go tutorial's scenario
 * against it. One {@code Hello}, then one {@code Channel} session where one thread sends and
 * another receives for about a second.
 */
final class DemoCommand {
  private DemoCommand() {}

  static int run(Options options, PrintStream out)
      throws Options.UsageException, IOException, InterruptedException {
    options.allowOnly("duration");
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
