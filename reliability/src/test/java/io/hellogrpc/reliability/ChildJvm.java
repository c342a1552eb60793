package io.hellogrpc.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One of this module's test mains ({@link ServerMain}, {@link ClientMain}) in a JVM of its own, so
 * that a test can kill it. It runs on this JVM's class path, reads commands from its stdin, answers
 * one line each on its stdout and exits when its stdin closes; its stderr goes to a file.
 */
final class ChildJvm implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);
  // A full collection of a small heap takes milliseconds; this long means the child is stuck.
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private final String name;
  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
  private final Path stderr;
  private final Thread reader;
  private volatile String stderrAtClose; // the file is deleted then

  private ChildJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    this.commands =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    this.reader = new Thread(this::readLines, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} in a new JVM with {@code jvmFlags}; {@link #awaitReady()} waits for it. */
  static ChildJvm start(String name, List<String> jvmFlags, Class<?> main, String... args)
      throws IOException {
    return start(name, List.of(), jvmFlags, main, args);
  }

  /**
   * As {@link #start(String, List, Class, String...)}, in a process that may open at most
   * {@code descriptors} file descriptors (soft and hard limit: the JVM cannot raise it). Needs a
   * Unix shell.
   */
  static ChildJvm startWithDescriptorLimit(
      int descriptors, String name, List<String> jvmFlags, Class<?> main, String... args)
      throws IOException {
    // bash's ulimit sets both limits; exec keeps the JVM the process the test talks to.
    return start(
        name,
        List.of("bash", "-c", "ulimit -n \"$0\" && exec \"$@\"", Integer.toString(descriptors)),
        jvmFlags,
        main,
        args);
  }

  private static ChildJvm start(
      String name, List<String> prefix, List<String> jvmFlags, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED"); // Netty's native transport (JEP 472)
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("reliability-" + name, ".log");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildJvm(name, process, stderr);
  }

  private void readLines() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(Optional.of(line));
      }
    } catch (IOException e) {
      // the process died: same as the end of its output
    } finally {
      lines.add(Optional.empty());
    }
  }

  /** The next line the child prints, waiting at most {@code timeout}. */
  String nextLine(Duration timeout) throws InterruptedException {
    Optional<String> line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError(name + " printed nothing within " + timeout + stderrTail());
    }
    if (line.isEmpty()) {
      lines.add(line); // keep the end for later readers
      throw new AssertionError(name + " exited" + stderrTail());
    }
    return line.get();
  }

  /** The line a freshly started child prints once it is ready, such as its port. */
  String awaitReady() throws InterruptedException {
    return nextLine(STARTUP);
  }

  /** Sends one command and returns the child's one-line answer. */
  synchronized String ask(String command) throws InterruptedException {
    commands.println(command);
    return nextLine(ANSWER);
  }

  long askLong(String command) throws InterruptedException {
    return Long.parseLong(ask(command));
  }

  /** SIGKILL: the process ends at once, its sockets closed by the kernel. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL for 30 s");
    }
  }

  /** What the child wrote to stderr so far, or in all once closed. */
  String stderr() {
    String closed = stderrAtClose;
    if (closed != null) {
      return closed;
    }
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private String stderrTail() {
    List<String> errors = stderr().lines().toList();
    if (errors.isEmpty()) {
      return "";
    }
    return "; its stderr ends with:\n  "
        + String.join("\n  ", errors.subList(Math.max(0, errors.size() - 20), errors.size()));
  }

  /** Closes its stdin, which makes it exit; kills it if it has not within 15 seconds. */
  @Override
  public void close() {
    commands.close();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
      reader.join(5_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    stderrAtClose = stderr();
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }
}
