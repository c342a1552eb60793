package io.hellogrpc.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What both plain grpc-java yardsticks write alike: a blocking stub for {@code Hello}, and for many
 * sessions an async stub with a StreamObserver per session (callbacks, no thread per session).
 * They differ in the channel and in how a stream is driven.
 */
abstract class PlainGrpcContender implements Contender {
  protected final ManagedChannel channel;
  protected final HelloServiceGrpc.HelloServiceStub asyncStub;
  private final HelloServiceGrpc.HelloServiceBlockingStub blockingStub;
  private final List<StreamObserver<io.hellogrpc.api.proto.String>> openSessions = new ArrayList<>();

  protected PlainGrpcContender(ManagedChannel channel) {
    this.channel = channel;
    this.asyncStub = HelloServiceGrpc.newStub(channel);
    this.blockingStub = HelloServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public String hello(String name) {
    return blockingStub.hello(Messages.wire(name)).getValue();
  }

  /** Waits for the end of a stream; cancels it and fails after {@code timeout}. */
  protected static Duration awaitEnd(
      ExpectedReplies replies,
      StreamObserver<io.hellogrpc.api.proto.String> requests,
      long startNanos,
      Duration timeout)
      throws InterruptedException {
    if (!replies.awaitEnd(timeout)) {
      replies.fail(new BenchmarkFailure("timed out after " + timeout.toSeconds() + " s"));
      ((ClientCallStreamObserver<?>) requests).cancel("timed out", null);
    }
    return replies.elapsedSince(startNanos);
  }

  /** The response observer of the streams: checks each reply, reports the end. */
  protected static StreamObserver<io.hellogrpc.api.proto.String> checking(
      ExpectedReplies replies) {
    return new StreamObserver<>() {
      @Override
      public void onNext(io.hellogrpc.api.proto.String reply) {
        replies.accept(reply.getValue()); // a wrong one throws: grpc cancels the call
      }

      @Override
      public void onError(Throwable t) {
        replies.fail(t);
      }

      @Override
      public void onCompleted() {
        replies.completed();
      }
    };
  }

  @Override
  public void openSessions(SessionTally tally) {
    for (int i = 0; i < tally.sessions(); i++) {
      int session = i;
      StreamObserver<io.hellogrpc.api.proto.String> requests =
          asyncStub.channel(
              new StreamObserver<>() {
                @Override
                public void onNext(io.hellogrpc.api.proto.String reply) {
                  tally.reply(session, reply.getValue());
                }

                @Override
                public void onError(Throwable t) {
                  tally.ended(session, Status.fromThrowable(t).toString());
                }

                @Override
                public void onCompleted() {
                  tally.ended(session, null);
                }
              });
      openSessions.add(requests);
      requests.onNext(Messages.wire(0));
    }
  }

  @Override
  public void finishSessions(SessionTally tally) {
    for (StreamObserver<io.hellogrpc.api.proto.String> requests : openSessions) {
      for (int k = 1; k < tally.messagesPerSession(); k++) {
        requests.onNext(Messages.wire(k));
      }
      requests.onCompleted();
    }
    openSessions.clear();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
