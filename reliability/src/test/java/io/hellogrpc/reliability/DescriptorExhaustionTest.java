package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.SilentConnection;
import io.hellogrpc.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server whose process runs out of file descriptors: accepting fails ("Too many open files")
 * for as long as it has none, and resumes once it has. The server runs in a JVM of its own limited
 * to {@value #DESCRIPTORS} descriptors, its connection limits raised out of the way, and the test
 * opens connections until the server cannot accept any more. Once, the accept thread died of a
 * NoClassDefFoundError logging this failure (loading a class takes a descriptor too), and the
 * server never accepted again.
 */
@Timeout(180)
@ExtendWith(NoNettyLeaks.class)
class DescriptorExhaustionTest {
  private static final int DESCRIPTORS = 256;
  /** The JVM's own descriptors, jars and all, take some; the server never gets this many. */
  private static final int MORE_THAN_IT_CAN_ACCEPT = DESCRIPTORS;
  /** Long enough to tell a server that cannot accept from a busy machine's slow answer. */
  private static final Duration PATIENCE = Duration.ofSeconds(3);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void runningOutOfDescriptorsPausesAcceptingAndNeverEndsIt(String transport, TestReporter report)
      throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux: descriptors to count");
    List<String> flags = new ArrayList<>(NettyLeaks.JVM_FLAGS);
    if (transport.equals("nio")) {
      flags.add("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true");
    }
    try (ChildJvm server =
        ChildJvm.startWithDescriptorLimit(
            DESCRIPTORS,
            "server",
            flags,
            ServerMain.class,
            "--max-connections", "100000",
            "--max-connections-per-address", "100000")) {
      int port = Integer.parseInt(server.awaitReady().substring("listening ".length()));
      long idleDescriptors = server.askLong("fds");
      assertThat(server.ask("accepting")).isEqualTo("alive");

      List<SilentConnection> held = new ArrayList<>();
      SilentConnection.Answer last = null;
      try {
        while (held.size() < MORE_THAN_IT_CAN_ACCEPT) {
          SilentConnection connection = new SilentConnection(SilentConnection.loopback(1), port);
          held.add(connection);
          last = connection.awaitAnswer(PATIENCE);
          if (last != SilentConnection.Answer.ANSWERED) {
            break;
          }
        }
        assertThat(last)
            .as("what became of connection %d, with %d descriptors open before",
                held.size(), idleDescriptors)
            .isEqualTo(SilentConnection.Answer.SILENT); // waiting in the backlog, not refused
        try {
          Waiting.until(
              "the server says it cannot accept",
              () -> server.stderr().contains("could not accept a connection"));
        } catch (AssertionError e) {
          throw new AssertionError(
              e.getMessage() + "; accept thread " + server.ask("accepting") + "; its stderr:\n"
                  + server.stderr(), e);
        }
        assertThat(server.ask("accepting")).isEqualTo("alive");
        report.publishEntry(
            transport,
            String.format(
                "the server accepted %d connections with %d descriptors open before, at a limit"
                    + " of %d",
                held.size() - 1, idleDescriptors, DESCRIPTORS));
      } finally {
        for (SilentConnection connection : held) {
          connection.close();
        }
      }

      try (HelloClient client = HelloClient.builder().target("127.0.0.1:" + port).build();
          ChatSession chat = client.openChat()) {
        assertThat(client.hello("after")).isEqualTo("hello:after");
        chat.send("and chatting");
        assertThat(chat.receive()).isEqualTo("hello:and chatting");
      }
      assertThat(server.ask("accepting")).isEqualTo("alive");
      Waiting.until(
          "the server's descriptors are back to what it had before",
          () -> ask(server, "fds") <= idleDescriptors);

      // Once, however many accepts failed while the test held the connections (one a second);
      // and nothing else: no Error, no exception reaching the end of the pipeline.
      String stderr = server.stderr();
      assertThat(stderr.lines().filter(line -> line.contains("could not accept a connection")))
          .singleElement()
          .asString()
          .startsWith("WARNING: could not accept a connection on /127.0.0.1:" + port + " (")
          .contains("Too many open files")
          .endsWith(
              "); accepting again in 1000 ms. The process is out of file descriptors: lower"
                  + " maxConnections, or raise the process's limit (ulimit -n)");
      assertThat(stderr).doesNotContain("Exception in thread").doesNotContain("exceptionCaught");
    }
  }

  private static long ask(ChildJvm jvm, String command) {
    try {
      return jvm.askLong(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
