package io.hellogrpc.benchmarks;

import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * The "plain grpc-java, default" client, as grpc-java's tutorial writes it: a channel with the
 * default executor, an async stub, a sender thread calling {@code onNext} in a loop with no flow
 * control, replies handled in the response StreamObserver.
 */
final class DefaultGrpcContender extends PlainGrpcContender {
  DefaultGrpcContender(int port) {
    super(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  @Override
  public String label() {
    return Implementation.GRPC_DEFAULT.label;
  }

  @Override
  public Duration stream(long messages, Duration timeout) throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    long start = System.nanoTime();
    StreamObserver<io.hellogrpc.api.proto.String> requests = asyncStub.channel(checking(replies));
    Background sender = startSender(requests, messages, replies);
    Duration elapsed = awaitEnd(replies, requests, start, timeout);
    sender.join();
    return elapsed;
  }

  @Override
  public void slowReader(long messages, SlowDrain drain, LongConsumer onReply)
      throws InterruptedException {
    ExpectedReplies replies = new ExpectedReplies(messages);
    // The tutorial's reader: the work is done in onNext, on the channel's executor.
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        asyncStub.channel(
            new StreamObserver<>() {
              @Override
              public void onNext(io.hellogrpc.api.proto.String reply) {
                long count = replies.accept(reply.getValue());
                onReply.accept(count);
                drain.afterReply(count);
              }

              @Override
              public void onError(Throwable t) {
                replies.fail(t);
              }

              @Override
              public void onCompleted() {
                replies.completed();
              }
            });
    startSender(requests, messages, replies);
    replies.awaitEnd(Duration.ofDays(1)); // the parent process enforces the timeout
    replies.elapsedSince(0); // throws if it failed
  }

  private static Background startSender(
      StreamObserver<io.hellogrpc.api.proto.String> requests, long messages, ExpectedReplies replies) {
    return Background.start(
        "grpc-default-sender",
        () -> {
          for (long i = 0; i < messages; i++) {
            requests.onNext(Messages.wire(i));
          }
          requests.onCompleted();
        },
        failure -> {
          replies.fail(failure);
          requests.onError(failure); // cancels the call
        });
  }
}
