package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional grpc-go yardstick, stream workload only: the interop/go binary as both server
 * ({@code <binary> server -port P}) and client ({@code <binary> client -target 127.0.0.1:P
 * -messages N}), the client printing one line such as
 * {@code grpc-go stream: 1000000 messages in 2.71 s = 369000 messages/s}.
 */
final class GrpcGoContender implements Contender {
  static final String LABEL = "grpc-go";
  private static final Pattern RESULT =
      Pattern.compile("grpc-go stream: (\\d+) messages in ([0-9.]+) s = ([0-9.]+) messages/s");

  private final Path binary;
  private final int port;
  private final Process server;

  GrpcGoContender(Path binary) throws IOException, InterruptedException {
    this.binary = binary;
    this.port = freePort();
    this.server =
        ChildProcesses.start(
            new ProcessBuilder(binary.toString(), "server", "-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD));
    awaitListening();
  }

  @Override
  public String label() {
    return LABEL;
  }

  /** Runs the Go client once; the time is the one it measured and printed. */
  @Override
  public Duration stream(long messages, Duration timeout) throws IOException, InterruptedException {
    Process client =
        ChildProcesses.start(
            new ProcessBuilder(
                    binary.toString(),
                    "client",
                    "-target",
                    "127.0.0.1:" + port,
                    "-messages",
                    Long.toString(messages))
                .redirectErrorStream(true));
    // Read while it runs, so that a chatty client never blocks on a full pipe.
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(its output could not be read: " + e.getMessage() + ")";
              }
            });
    if (!client.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      ChildProcesses.stop(client, 0);
      throw new BenchmarkFailure("the grpc-go client timed out after " + timeout.toSeconds() + " s");
    }
    String printed = output.join();
    if (client.exitValue() != 0) {
      throw new BenchmarkFailure(
          "the grpc-go client exited with status " + client.exitValue() + ": " + printed.strip());
    }
    return parse(printed, messages);
  }

  /** The time in the client's result line, from its count and rate. */
  static Duration parse(String output, long messages) {
    Matcher line = RESULT.matcher(output);
    if (!line.find()) {
      throw new BenchmarkFailure("no result line from the grpc-go client in: '" + output.strip() + "'");
    }
    long count = Long.parseLong(line.group(1));
    if (count != messages) {
      throw new BenchmarkFailure("the grpc-go client moved " + count + " of " + messages + " messages");
    }
    double rate = Double.parseDouble(line.group(3));
    return Duration.ofNanos(Math.round(count / rate * 1e9));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!server.isAlive()) {
          throw new IOException("the grpc-go server exited with status " + server.exitValue());
        }
        if (System.nanoTime() - deadline > 0) {
          close();
          throw new IOException("the grpc-go server did not listen on port " + port + " within 20 s");
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public String hello(String name) {
    throw new UnsupportedOperationException("grpc-go runs the stream workload only");
  }

  @Override
  public void slowReader(long messages, SlowDrain drain, LongConsumer onReply) {
    throw new UnsupportedOperationException("grpc-go runs the stream workload only");
  }

  @Override
  public void openSessions(SessionTally tally) {
    throw new UnsupportedOperationException("grpc-go runs the stream workload only");
  }

  @Override
  public void finishSessions(SessionTally tally) {
    throw new UnsupportedOperationException("grpc-go runs the stream workload only");
  }

  @Override
  public void close() {
    server.destroy();
    ChildProcesses.stop(server, 5);
  }
}
