package io.hellogrpc.benchmarks;

/** A run that did not do what it should: a wrong reply, an error, a timeout, running out of memory. */
final class BenchmarkFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BenchmarkFailure(String message) {
    super(message);
  }

  BenchmarkFailure(String message, Throwable cause) {
    super(message + ": " + describe(cause), cause);
  }

  /** A failure as one line: its class and message. */
  static String describe(Throwable failure) {
    String name = failure.getClass().getSimpleName();
    return failure.getMessage() == null ? name : name + ": " + failure.getMessage();
  }
}
