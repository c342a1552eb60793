package io.hellogrpc.benchmarks.jmh;

/** The messages the microbenchmarks move: digits, as the end-to-end workloads send. */
final class Texts {
  private Texts() {}

  /** {@code "0123456789012..."}, {@code chars} long. */
  static String digits(int chars) {
    StringBuilder text = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      text.append((char) ('0' + i % 10));
    }
    return text.toString();
  }
}
