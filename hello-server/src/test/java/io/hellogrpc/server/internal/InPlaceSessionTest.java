package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.ReceiveBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a session answered in place by the built-in handler does to its call, seen from the call. */
@Timeout(60)
class InPlaceSessionTest {
  private static final int CAPACITY = 16;

  /**
   * A call that records what it is asked to do, and notices being used by two threads at once or
   * after it was closed: grpc's calls allow neither.
   */
  private static final class RecordingCall extends ServerCall<byte[], String> {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<Integer> requests = new CopyOnWriteArrayList<>();
    final List<Status> closes = new CopyOnWriteArrayList<>();
    final List<String> misuses = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    volatile boolean ready = true;
    volatile int readyForReplies = Integer.MAX_VALUE; // not ready once this many were sent
    volatile boolean cancelled;

    private void enter(String what) {
      if (inside.getAndIncrement() != 0) {
        misuses.add(what + " while another thread was in the call");
      }
      if (!closes.isEmpty()) {
        misuses.add(what + " after close");
      }
    }

    private void leave() {
      inside.decrementAndGet();
    }

    @Override
    public void request(int numMessages) {
      enter("request");
      requests.add(numMessages);
      leave();
    }

    @Override
    public void sendHeaders(Metadata headers) {
      enter("sendHeaders");
      leave();
    }

    @Override
    public void sendMessage(String message) {
      enter("sendMessage");
      sent.add(message);
      leave();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      enter("close");
      closes.add(status);
      leave();
    }

    @Override
    public boolean isReady() {
      return ready && sent.size() < readyForReplies;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public MethodDescriptor<byte[], String> getMethodDescriptor() {
      return HelloMethods.SERVER_CHANNEL;
    }
  }

  private final RecordingCall call = new RecordingCall();
  private final SessionRegistry registry = new SessionRegistry();

  private ServerCall.Listener<byte[]> start(int maxMessageSize) {
    return InPlaceSession.handler(
            DefaultHandlers.CHANNEL,
            CAPACITY,
            maxMessageSize,
            registry,
            new MemoryBudget(null, Long.MAX_VALUE))
        .startCall(call, new Metadata());
  }

  private static byte[] encoded(String value) {
    return io.hellogrpc.api.proto.String.newBuilder().setValue(value).build().toByteArray();
  }

  private static int waiting(ServerCall.Listener<byte[]> session) {
    return ((ReceiveBuffer) session).size();
  }

  @Test
  void answersEachMessageAsItArrivesAndGrantsRoomForOneMoreInItsPlace() {
    ServerCall.Listener<byte[]> session = start(1024);
    assertThat(registry.size()).isOne();

    session.onMessage(encoded("a"));
    session.onMessage(encoded("b"));

    assertThat(call.sent).containsExactly("hello:a", "hello:b");
    assertThat(call.requests).containsExactly(CAPACITY, 1, 1);
    assertThat(waiting(session)).isZero();
  }

  @Test
  void whileTheClientCannotTakeRepliesArrivalsWaitInOrderAndNoMoreRoomIsGranted() {
    ServerCall.Listener<byte[]> session = start(1024);
    call.ready = false;

    session.onMessage(encoded("a"));
    session.onMessage(encoded("b"));
    assertThat(call.sent).isEmpty();
    assertThat(call.requests).containsExactly(CAPACITY);
    assertThat(waiting(session)).isEqualTo(2);
    assertThat(((ReceiveBuffer) session).capacity()).isEqualTo(CAPACITY);

    call.ready = true;
    session.onMessage(encoded("c")); // ready again, but a and b go first
    assertThat(call.sent).isEmpty();
    session.onReady();

    assertThat(call.sent).containsExactly("hello:a", "hello:b", "hello:c");
    assertThat(call.requests).containsExactly(CAPACITY, 3);
    assertThat(waiting(session)).isZero();
  }

  @Test
  void answeringThoseWaitingStopsWhereTheClientStopsTakingReplies() {
    ServerCall.Listener<byte[]> session = start(1024);
    call.ready = false;
    session.onMessage(encoded("a"));
    session.onMessage(encoded("b"));
    session.onMessage(encoded("c"));

    call.ready = true;
    call.readyForReplies = 1; // the client takes one reply, then cannot for a while
    session.onReady();
    assertThat(call.sent).containsExactly("hello:a");
    assertThat(waiting(session)).isEqualTo(2);
    assertThat(call.requests).containsExactly(CAPACITY, 1);

    call.readyForReplies = Integer.MAX_VALUE;
    session.onReady();
    assertThat(call.sent).containsExactly("hello:a", "hello:b", "hello:c");
    assertThat(call.requests).containsExactly(CAPACITY, 1, 2);
  }

  @Test
  void aHalfCloseWithRepliesWaitingEndsTheSessionOnlyOnceTheyAreOut() {
    ServerCall.Listener<byte[]> session = start(1024);
    call.ready = false;
    session.onMessage(encoded("a"));
    session.onHalfClose();
    assertThat(call.closes).isEmpty();

    call.ready = true;
    session.onReady();

    assertThat(call.sent).containsExactly("hello:a");
    assertThat(call.closes).extracting(Status::getCode).containsExactly(Status.Code.OK);
    assertThat(call.requests).as("no room granted after the half-close").containsExactly(CAPACITY);
  }

  @Test
  void aHalfCloseWithNothingWaitingEndsTheSessionAtOnce() {
    ServerCall.Listener<byte[]> session = start(1024);
    session.onMessage(encoded("a"));
    session.onHalfClose();

    assertThat(call.sent).containsExactly("hello:a");
    assertThat(call.closes).extracting(Status::getCode).containsExactly(Status.Code.OK);
  }

  @Test
  void aReplyOverTheMessageLimitEndsTheSessionUnsent() {
    ServerCall.Listener<byte[]> session = start(12); // encoded, a reply has 2 bytes more
    session.onMessage(encoded("abc")); // hello:abc fits
    session.onMessage(encoded("abcdef")); // hello:abcdef does not

    assertThat(call.sent).containsExactly("hello:abc");
    assertThat(call.closes).singleElement().satisfies(status -> {
      assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(status.getDescription()).contains("maxMessageSize");
    });
    session.onMessage(encoded("late"));
    assertThat(call.sent).hasSize(1);
    assertThat(call.misuses).isEmpty();
  }

  @Test
  void aMessageThatIsNotAStringEndsTheSessionAndWhatWaitsGoesUnanswered() {
    ServerCall.Listener<byte[]> session = start(1024);
    call.ready = false;
    session.onMessage(encoded("a"));

    session.onMessage(new byte[] {(byte) 0xff, 0x01});

    assertThat(call.closes).singleElement().satisfies(
        status -> assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL));
    assertThat(waiting(session)).isZero();
    call.ready = true;
    session.onReady();
    assertThat(call.sent).isEmpty();
    assertThat(call.misuses).isEmpty();
  }

  @Test
  void aCancelledSessionDropsWhatWaitsAndLeavesTheRegistry() {
    ServerCall.Listener<byte[]> session = start(1024);
    call.ready = false;
    session.onMessage(encoded("a"));

    call.cancelled = true; // grpc marks the call, then tells the listener
    session.onCancel();

    assertThat(waiting(session)).isZero();
    assertThat(registry.size()).isZero();
    call.ready = true;
    session.onReady();
    assertThat(call.sent).isEmpty();
    assertThat(call.closes).isEmpty();
  }

  @Test
  void shutdownEndsAnIdleSessionFromItsOwnThreadAndNothingIsAnsweredAfter() {
    ServerCall.Listener<byte[]> session = start(1024);
    session.onMessage(encoded("a"));

    registry.endAll(SessionRegistry.SHUTTING_DOWN);

    assertThat(call.closes).containsExactly(SessionRegistry.SHUTTING_DOWN);
    session.onMessage(encoded("b"));
    session.onHalfClose();
    assertThat(call.sent).containsExactly("hello:a");
    assertThat(call.closes).hasSize(1);
    assertThat(call.misuses).isEmpty();
  }

  /**
   * Shutdown's {@code terminate} races the transport's callbacks: whichever way they interleave,
   * the call is closed once, with shutdown's status, never used by two threads at once nor after
   * its close, and the replies sent are the first messages, in order.
   */
  @Test
  void shutdownRacingTheTransportClosesTheCallOnceAndNeverBesideIt() throws Exception {
    CyclicBarrier go = new CyclicBarrier(2);
    for (int round = 0; round < 2_000; round++) {
      RecordingCall raced = new RecordingCall();
      SessionRegistry sessions = new SessionRegistry();
      ServerCall.Listener<byte[]> session =
          InPlaceSession.handler(
                  DefaultHandlers.CHANNEL,
                  4,
                  1024,
                  sessions,
                  new MemoryBudget(null, Long.MAX_VALUE))
              .startCall(raced, new Metadata());
      CountDownLatch transportDone = new CountDownLatch(1);
      Thread transport =
          new Thread(
              () -> {
                try {
                  go.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < 8; i++) {
                    raced.ready = i % 3 != 2; // now and then the client stops taking replies
                    session.onMessage(encoded(Integer.toString(i)));
                    if (raced.ready) {
                      session.onReady();
                    }
                  }
                } catch (Exception e) {
                  raced.misuses.add("transport thread: " + e);
                } finally {
                  transportDone.countDown();
                }
              },
              "fake-transport");
      transport.start();
      go.await(10, TimeUnit.SECONDS);
      sessions.endAll(SessionRegistry.SHUTTING_DOWN);
      if (!transportDone.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("round " + round + ": the transport thread is stuck\n" + stack(transport));
      }
      transport.join();

      assertThat(raced.misuses).as("round %d", round).isEmpty();
      assertThat(raced.closes).as("round %d", round).containsExactly(SessionRegistry.SHUTTING_DOWN);
      List<String> expected =
          java.util.stream.IntStream.range(0, raced.sent.size())
              .mapToObj(i -> "hello:" + i)
              .collect(Collectors.toList());
      assertThat(raced.sent).as("round %d", round).isEqualTo(expected);
      assertThat(waiting(session)).as("round %d", round).isZero();
    }
  }

  private static String stack(Thread thread) {
    StringBuilder text = new StringBuilder(thread.getName()).append(":\n");
    for (StackTraceElement frame : thread.getStackTrace()) {
      text.append("  at ").append(frame).append('\n');
    }
    return text.toString();
  }
}
