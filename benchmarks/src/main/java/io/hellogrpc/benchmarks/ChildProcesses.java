package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the processes a benchmark needs (server JVMs, client JVMs, the grpc-go binary) and makes
 * sure none outlives the benchmark: every one still running when this JVM exits, normally or on
 * Ctrl-C, is killed. Child JVMs also exit by themselves when their stdin closes, which covers a
 * benchmark that is killed outright.
 */
final class ChildProcesses {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process process : RUNNING) {
                    process.destroyForcibly();
                  }
                },
                "kill-child-processes"));
  }

  private ChildProcesses() {}

  /** {@code java [jvmFlags] -cp <this classpath> mainClass [args]}: another JVM from this jar. */
  static ProcessBuilder javaCommand(List<String> jvmFlags, Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED"); // Netty's native transport (JEP 472)
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  static Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
    return process;
  }

  /** Asks politely (SIGTERM), then kills; returns once the process is gone. */
  static void stop(Process process, long graceSeconds) {
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
    }
  }

  /** In a child JVM: exit as soon as the parent closes our stdin (it finished, or died). */
  static void exitWhenStdinCloses() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // the parent sends nothing; reading only waits for end of input
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone as well
              }
              Runtime.getRuntime().halt(1);
            },
            "exit-when-parent-goes");
    watcher.setDaemon(true);
    watcher.start();
  }
}
