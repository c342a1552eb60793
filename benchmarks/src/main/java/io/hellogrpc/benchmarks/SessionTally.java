package io.hellogrpc.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The many-sessions workload's book-keeping: {@code sessions} sessions, numbered from 0, each
 * sending {@code messagesPerSession} messages and checking its replies in order. Callbacks of
 * different sessions may come on different threads at once.
 */
final class SessionTally {
  private final int sessions;
  private final int messagesPerSession;
  private final AtomicIntegerArray replies;
  private final CountDownLatch firstReplies;
  private final CountDownLatch ends;
  private final AtomicInteger completedInFull = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();

  SessionTally(int sessions, int messagesPerSession) {
    this.sessions = sessions;
    this.messagesPerSession = messagesPerSession;
    this.replies = new AtomicIntegerArray(sessions);
    this.firstReplies = new CountDownLatch(sessions);
    this.ends = new CountDownLatch(sessions);
  }

  int sessions() {
    return sessions;
  }

  int messagesPerSession() {
    return messagesPerSession;
  }

  /** Session {@code session} got {@code reply}. */
  void reply(int session, String reply) {
    int index = replies.getAndIncrement(session);
    if (!reply.equals(Messages.expectedReply(index))) {
      problem("session " + session + ": reply " + index + " was '" + reply + "'");
    }
    if (index == 0) {
      firstReplies.countDown();
    }
  }

  /** Session {@code session} ended; {@code error} is null for a normal end. */
  void ended(int session, String error) {
    if (error != null) {
      failed.incrementAndGet();
      problem("session " + session + " failed: " + error);
    } else if (replies.get(session) != messagesPerSession) {
      failed.incrementAndGet();
      problem("session " + session + " ended after " + replies.get(session) + " replies");
    } else {
      completedInFull.incrementAndGet();
    }
    ends.countDown();
  }

  boolean awaitFirstReplies(Duration timeout) throws InterruptedException {
    return firstReplies.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean awaitEnds(Duration timeout) throws InterruptedException {
    return ends.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Sessions that got every reply in order and ended normally. */
  int completed() {
    return completedInFull.get();
  }

  int failed() {
    return failed.get();
  }

  long firstRepliesMissing() {
    return firstReplies.getCount();
  }

  /** The first thing that went wrong, or null. */
  String firstProblem() {
    return firstProblem.get();
  }

  private void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }
}
