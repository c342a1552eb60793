package io.hellogrpc.benchmarks;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * One implementation under test as its user would write the client side, connected to its own
 * server. Each method is one workload's client; they all send {@code "0"}, {@code "1"}, ... and
 * check that every reply is {@code "hello:" + message}, in order, failing with a
 * {@link BenchmarkFailure} otherwise.
 */
interface Contender extends AutoCloseable {
  /** The table's column for it. */
  String label();

  /**
   * stream: one session, {@code messages} sent from one thread while another receives.
   *
   * @return the time from opening the session to its normal end
   * @throws BenchmarkFailure on a wrong reply, an error, or after {@code timeout}
   */
  Duration stream(long messages, Duration timeout) throws Exception;

  /** unary: one {@code Hello} call; returns the reply. */
  String hello(String name);

  /**
   * slow-reader: a producer sends {@code messages} as fast as the implementation lets it while
   * the reader takes replies at the pace of {@code drain}; {@code onReply} hears the count of
   * replies read so far, after each one. Returns after the normal end.
   */
  void slowReader(long messages, SlowDrain drain, LongConsumer onReply) throws Exception;

  /**
   * many-sessions, first half: opens {@code tally.sessions()} sessions, each sending
   * {@code "0"}, without a thread per session; replies and ends go to {@code tally}.
   */
  void openSessions(SessionTally tally) throws InterruptedException;

  /** many-sessions, second half: sends the rest of each session's messages and completes it. */
  void finishSessions(SessionTally tally) throws InterruptedException;

  @Override
  void close();
}
