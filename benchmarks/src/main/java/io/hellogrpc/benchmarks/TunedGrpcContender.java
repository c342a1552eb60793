package io.hellogrpc.benchmarks;

import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;

/**
 * The "plain grpc-java, tuned" client, with grpc-java's performance advice applied: a channel with
 * {@code directExecutor()}, and a stream driven as grpc-java's {@code ManualFlowControlClient}
 * example drives it: a {@link ClientResponseObserver} whose onReady handler sends while
 * {@code isReady()}, and replies requested one by one as they are handled.
 */
final class TunedGrpcContender extends PlainGrpcContender {
  /** The slow reader's queue: replies requested ahead of the reader. */
  private static final int READ_AHEAD = 256;

  TunedGrpcContender(int port) {
    super(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build());
  }

  @Override
  public String label() {
    return Implementation.GRPC_TUNED.label;
  }

  @Override
  public Duration stream(long messages, Duration timeout) throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    long start = System.nanoTime();
    var requests = asyncStub.channel(new ReadySender(messages, replies));
    return awaitEnd(replies, requests, start, timeout);
  }

  /**
   * Sends from the onReady handler while the transport is ready, then half-closes; asks for
   * {@code initialRequests} replies up front and leaves the rest to the subclass, which says what
   * becomes of each reply.
   */
  private abstract static class SendWhileReady
      implements ClientResponseObserver<io.hellogrpc.api.proto.String, io.hellogrpc.api.proto.String> {
    private final long messages;
    private final int initialRequests;
    volatile ClientCallStreamObserver<io.hellogrpc.api.proto.String> requests;
    private long next;
    private boolean halfClosed;

    SendWhileReady(long messages, int initialRequests) {
      this.messages = messages;
      this.initialRequests = initialRequests;
    }

    @Override
    public final void beforeStart(ClientCallStreamObserver<io.hellogrpc.api.proto.String> requests) {
      this.requests = requests;
      requests.disableAutoRequestWithInitial(initialRequests);
      requests.setOnReadyHandler(() -> sendWhileReady(requests));
    }

    private void sendWhileReady(ClientCallStreamObserver<io.hellogrpc.api.proto.String> requests) {
      while (next < messages && requests.isReady()) {
        requests.onNext(Messages.wire(next++));
      }
      if (next == messages && !halfClosed) {
        halfClosed = true;
        requests.onCompleted();
      }
    }
  }

  /**
   * Checks replies in onNext and requests them one by one, on the transport thread like the
   * sending: cheap work that never blocks, which is what {@code directExecutor()} asks for.
   */
  private static final class ReadySender extends SendWhileReady {
    private final ExpectedReplies replies;

    ReadySender(long messages, ExpectedReplies replies) {
      super(messages, 1);
      this.replies = replies;
    }

    @Override
    public void onNext(io.hellogrpc.api.proto.String reply) {
      try {
        replies.accept(reply.getValue());
      } catch (BenchmarkFailure wrong) {
        requests.cancel("wrong reply", wrong);
        return;
      }
      requests.request(1);
    }

    @Override
    public void onError(Throwable t) {
      replies.fail(t);
    }

    @Override
    public void onCompleted() {
      replies.completed();
    }
  }

  @Override
  public void slowReader(long messages, SlowDrain drain, LongConsumer onReply)
      throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    QueuedReplies queued = new QueuedReplies(messages);
    asyncStub.channel(queued);
    // A slow reader must not hold the transport thread (directExecutor), so it reads on its own
    // thread from a queue, and asks grpc for one more reply for each one it takes.
    try {
      for (Object item = queued.queue.take(); item != QueuedReplies.END; item = queued.queue.take()) {
        if (item instanceof Throwable) {
          replies.fail((Throwable) item);
          break;
        }
        long count = replies.accept(((io.hellogrpc.api.proto.String) item).getValue());
        onReply.accept(count);
        drain.afterReply(count);
        queued.requests.request(1);
      }
      replies.completed();
    } catch (BenchmarkFailure wrong) {
      queued.requests.cancel("wrong reply", wrong);
    }
    replies.elapsedSince(0); // throws if it failed
  }

  /** Queues replies for a reader thread, which requests one more for each it takes. */
  private static final class QueuedReplies extends SendWhileReady {
    static final Object END = new Object();

    // Never more than READ_AHEAD replies requested and not taken, plus the end.
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(READ_AHEAD + 1);

    QueuedReplies(long messages) {
      super(messages, READ_AHEAD);
    }

    @Override
    public void onNext(io.hellogrpc.api.proto.String reply) {
      queue.add(reply); // there is room: no more were requested than the queue holds
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onCompleted() {
      queue.add(END);
    }
  }
}
