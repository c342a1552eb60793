package io.hellogrpc.benchmarks;

/** One workload of PERFORMANCE.md: runs the library and its yardsticks, adds rows to the table. */
interface Workload {
  /** Its name on the command line and in the table. */
  String name();

  /**
   * Runs it and adds its rows.
   *
   * @return false if the library itself failed (a wrong reply, an error, a hang)
   */
  boolean run(ResultTable table) throws Exception;
}
