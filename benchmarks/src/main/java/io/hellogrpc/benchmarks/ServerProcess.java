package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A {@link BenchmarkServer} JVM, started with the JVM flags a workload needs and stopped when the
 * workload is done. Commands go to its stdin; its answers come back on its stdout; its stderr goes
 * to a file, shown if it says anything.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  // A whole-heap collection of a nearly full heap can take seconds; a command that takes this
  // long means the server is stuck.
  private static final Duration ANSWER = Duration.ofSeconds(120);

  private final Process process;
  private final PrintWriter commands;
  private final ProcessLines answers;
  private final Path stderr;
  private final ServerPorts ports;

  private ServerProcess(Process process, Path stderr) throws IOException {
    this.process = process;
    this.stderr = stderr;
    this.commands =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    this.answers = new ProcessLines(process.getInputStream(), "server-process-output");
    try {
      String first = answers.next(STARTUP);
      if (first == null) {
        throw new IOException("the server JVM exited before listening" + stderrSummary());
      }
      this.ports = ServerPorts.parse(first);
    } catch (InterruptedException | TimeoutException | RuntimeException e) {
      close();
      throw new IOException("the server JVM did not start: " + e.getMessage() + stderrSummary(), e);
    }
  }

  /** Starts a server JVM with {@code jvmFlags} (such as {@code -Xmx512m}) and waits for its ports. */
  static ServerProcess start(List<String> jvmFlags) throws IOException {
    return start(jvmFlags, List.of());
  }

  /** And a library server observed through OpenTelemetry in each of {@code telemetry}. */
  static ServerProcess start(List<String> jvmFlags, List<Telemetry> telemetry) throws IOException {
    Path stderr = Files.createTempFile("hello-benchmark-server", ".log");
    List<String> modes = telemetry.stream().map(mode -> mode.key).toList();
    ProcessBuilder builder =
        ChildProcesses.javaCommand(jvmFlags, BenchmarkServer.class, modes)
            .redirectError(stderr.toFile());
    return new ServerProcess(ChildProcesses.start(builder), stderr);
  }

  ServerPorts ports() {
    return ports;
  }

  /** The server JVM, for its CPU time. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  ServerStats stats() throws IOException, InterruptedException {
    return ServerStats.parse(ask("stats"));
  }

  /** Collects the server's whole heap and returns what is live, in bytes. */
  long liveHeapAfterGc() throws IOException, InterruptedException {
    String answer = ask("gc");
    return Long.parseLong(answer.substring(answer.indexOf('=') + 1));
  }

  /** Forgets the peak heap and peak thread count measured so far. */
  void resetPeaks() throws IOException, InterruptedException {
    ask("reset");
  }

  /** Starts counting carrier pinning in the server JVM (JDK 21+). */
  void startCountingPinning() throws IOException, InterruptedException {
    ask("pinning-start");
  }

  /** Stops counting carrier pinning: the events since {@link #startCountingPinning()}, and where. */
  PinningRecorder.Report pinning() throws IOException, InterruptedException {
    String answer = ask("pinning");
    int where = answer.indexOf(" where=");
    long events = Long.parseLong(answer.substring("pinning events=".length(), where));
    String place = answer.substring(where + " where=".length());
    return new PinningRecorder.Report(events, place.isEmpty() ? List.of() : List.of(place));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * True if the server ran out of memory: it exited as -XX:+ExitOnOutOfMemoryError makes it, or it
   * logged or recorded an OutOfMemoryError.
   */
  boolean ranOutOfMemory() {
    if (!process.isAlive() && process.exitValue() == 3) {
      return true;
    }
    return stderrText().contains("OutOfMemoryError");
  }

  private synchronized String ask(String command) throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IOException(
          "the server JVM has exited with status " + process.exitValue() + stderrSummary());
    }
    commands.println(command);
    String answer;
    try {
      answer = answers.next(ANSWER);
    } catch (TimeoutException e) {
      throw new IOException("the server JVM did not answer '" + command + "': " + e.getMessage());
    }
    if (answer == null) {
      throw new IOException("the server JVM exited while answering '" + command + "'" + stderrSummary());
    }
    if (answer.startsWith("error")) {
      throw new IOException("the server JVM refused '" + command + "': " + answer);
    }
    return answer;
  }

  /** What the server wrote to stderr, if anything: warnings and errors worth a look. */
  List<String> stderrLines() {
    String text = stderrText();
    return text.isBlank() ? List.of() : new ArrayList<>(text.lines().toList());
  }

  private String stderrText() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private String stderrSummary() {
    List<String> lines = stderrLines();
    if (lines.isEmpty()) {
      return "";
    }
    return "; its stderr ends with:\n  "
        + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  /** Says quit, then stops the process if it does not exit; also deletes the stderr file. */
  @Override
  public void close() {
    commands.println("quit");
    commands.close(); // end of input: the server exits even if it missed the command
    ChildProcesses.stop(process, 15);
    List<String> complaints = stderrLines();
    if (!complaints.isEmpty()) {
      Log.info("the server JVM wrote to stderr (" + complaints.size() + " lines), first ones:");
      complaints.stream().limit(15).forEach(line -> Log.info("  [server] " + line));
    }
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }
}
