package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server command in its own JVM, stopped the way an operator stops it: SIGTERM. */
@Timeout(60)
class ServerProcessTest {
  @Test
  void servesTheClientThenDrainsOnSigterm() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--port",
                "0",
                "--host",
                "127.0.0.1")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader output =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String first = output.readLine();
      Matcher listening = Pattern.compile("HelloService listening on port (\\d+)").matcher(first);
      assertThat(listening.matches()).as(first).isTrue();

      Captured client =
          Captured.run("client", "--target", "127.0.0.1:" + listening.group(1), "--messages", "1000");
      assertThat(client.exitCode()).isZero();
      assertThat(client.out()).contains("sent 1000, received 1000, all in order");

      server.toHandle().destroy(); // SIGTERM, and unlike Process.destroy() keeps our pipe open
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      List<String> rest = new ArrayList<>();
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        rest.add(line);
      }
      assertThat(rest)
          .containsSubsequence(
              "shutting down: refusing new calls, draining open sessions", "stopped");
    } finally {
      server.destroyForcibly();
    }
  }
}
