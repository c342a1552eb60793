package io.hellogrpc.benchmarks;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress goes to stderr, so stdout holds only the table. */
final class Log {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Log() {}

  static void info(String message) {
    System.err.println(LocalTime.now().format(TIME) + " " + message);
    System.err.flush();
  }
}
