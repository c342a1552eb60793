package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The client of virtual-threads and many-sessions, one contender per JVM: {@code <workload>
 * <implementation> <sessions> <messages per session> [warm-up milliseconds]}. It warms up, runs
 * the contender's sessions against a server JVM of its own, and prints the outcome's figures
 * ({@link FieldLines}). A failure before there is an outcome is printed as one: {@code failure
 * <why>}, as {@link #run} reports a client JVM that could not give one.
 *
 * <p>Why a JVM per contender: one contender's run compiles the grpc and Netty code the next one
 * uses, and thousands of sessions go through paths a warm-up of a few thousand does not make hot.
 * In one JVM the first contender, always the library, paid for the others: at 100,000 virtual
 * threads it took 1.6x tuned grpc's time to open (0.86x-0.95x in fresh JVMs); in many-sessions,
 * 1.6x when it ran first and 0.8x when tuned grpc did, whose own p99 went from 0.35 ms to 2.2 ms.
 */
final class ClientJvm {
  private ClientJvm() {}

  public static void main(String[] args) {
    ChildProcesses.exitWhenStdinCloses();
    try {
      FieldLines.of(outcome(args)).forEach(System.out::println);
    } catch (RuntimeException e) { // the outcome's failure, for the benchmark's table
      System.out.println("failure " + BenchmarkFailure.describe(e).replace('\n', ' '));
    }
    System.out.flush();
    System.exit(0);
  }

  private static Object outcome(String[] args) {
    Implementation implementation = Implementation.byKey(args[1]);
    int sessions = Integer.parseInt(args[2]);
    int messages = Integer.parseInt(args[3]);
    return switch (args[0]) {
      case VirtualThreadsWorkload.NAME ->
          new VirtualThreadsWorkload(sessions, messages, Duration.ofMillis(Long.parseLong(args[4])))
              .runOne(implementation);
      case ManySessionsWorkload.NAME ->
          new ManySessionsWorkload(sessions, messages, 1).warmUpAndRun(implementation);
      default -> throw new IllegalArgumentException("no client JVM for '" + args[0] + "'");
    };
  }

  /**
   * Runs {@code args} in a client JVM and returns what it printed: its outcome's lines, or a
   * {@code failure} line if it gave none (it could not start, exited, or had not finished within
   * {@code timeout}).
   */
  static List<String> run(List<String> args, Duration timeout) throws InterruptedException {
    Process client;
    try {
      client =
          ChildProcesses.start(
              ChildProcesses.javaCommand(List.of(), ClientJvm.class, args)
                  .redirectError(ProcessBuilder.Redirect.INHERIT)); // its progress, as ours
    } catch (IOException e) {
      return failure("could not start the client JVM: " + BenchmarkFailure.describe(e));
    }
    try {
      List<String> lines =
          new ProcessLines(client.getInputStream(), args.get(0) + "-client-output").untilEnd(timeout);
      return lines.isEmpty()
          ? failure("the client JVM exited (status " + client.waitFor() + ") without an outcome")
          : lines;
    } catch (TimeoutException e) {
      return failure("the client JVM had not finished after " + timeout.toSeconds() + " s");
    } finally {
      ChildProcesses.stop(client, 5);
    }
  }

  private static List<String> failure(String why) {
    return List.of("failure " + why);
  }
}
