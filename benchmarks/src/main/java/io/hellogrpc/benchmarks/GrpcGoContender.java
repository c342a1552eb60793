package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional grpc-go yardstick, stream workload only: the interop/go binary as both server
 * ({@code <binary> server -port 0}, which prints {@code listening on 127.0.0.1:P} once it listens)
 * and client ({@code <binary> client -target 127.0.0.1:P -messages N}), the client printing one
 * line such as {@code grpc-go stream: 1000000 messages in 2.71 s = 369000 messages/s}.
 */
final class GrpcGoContender implements Contender {
  static final String LABEL = "grpc-go";
  private static final Pattern RESULT =
      Pattern.compile("grpc-go stream: (\\d+) messages in ([0-9.]+) s = ([0-9.]+) messages/s");
  private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Path binary;
  private final int port;
  private final Process server;

  GrpcGoContender(Path binary) throws IOException, InterruptedException {
    this.binary = binary;
    this.server =
        ChildProcesses.start(
            new ProcessBuilder(binary.toString(), "server", "-port", "0").redirectErrorStream(true));
    this.port = awaitPort(new ProcessLines(server.getInputStream(), "grpc-go-server-output"));
  }

  /** The port in the server's first line; stops the server if that line says none. */
  private int awaitPort(ProcessLines output) throws IOException, InterruptedException {
    String line;
    try {
      line = output.next(STARTUP);
    } catch (TimeoutException e) {
      close();
      throw new IOException("the grpc-go server did not listen within " + STARTUP.toSeconds() + " s");
    }
    Matcher listening = LISTENING.matcher(line == null ? "" : line);
    if (!listening.matches()) {
      close();
      throw new IOException(
          line == null
              ? "the grpc-go server exited with status " + server.exitValue()
              : "the grpc-go server printed '" + line + "', not where it listens");
    }
    return Integer.parseInt(listening.group(1));
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
