package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.hellogrpc.api.internal.HelloMethods;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a per-message session does to its call, seen from the call. */
@Timeout(30)
class ReplyingSessionTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** A call that records what it is asked to send, and can be cancelled as grpc would. */
  private static final class RecordingCall extends ServerCall<byte[], String> {
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean cancelled;

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(String message) {
      sent.add(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public MethodDescriptor<byte[], String> getMethodDescriptor() {
      return HelloMethods.SERVER_CHANNEL;
    }
  }

  private static byte[] encoded(String value) {
    return io.hellogrpc.api.proto.String.newBuilder().setValue(value).build().toByteArray();
  }

  @Test
  void aReplyFinishedAfterTheClientWentAwayIsNotWritten() throws Exception {
    CountDownLatch handling = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(1);
    SessionRegistry registry = new SessionRegistry();
    RecordingCall call = new RecordingCall();
    ServerCall.Listener<byte[]> session =
        ReplyingSession.handler(
                message -> {
                  handling.countDown();
                  finish.await();
                  returned.countDown();
                  return "hello:" + message;
                },
                executor,
                16,
                1024,
                registry,
                new MemoryBudget(null, Long.MAX_VALUE))
            .startCall(call, new Metadata());

    session.onMessage(encoded("slow"));
    assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
    call.cancelled = true; // grpc marks the call, then tells the listener
    session.onCancel();
    finish.countDown();
    assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();

    executor.shutdown(); // lets the reply, if any, be sent before we look
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(call.sent).as("replies written to the cancelled call").isEmpty();
    assertThat(registry.size()).isZero();
  }
}
