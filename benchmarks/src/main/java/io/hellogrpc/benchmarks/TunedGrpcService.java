package io.hellogrpc.benchmarks;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The "plain grpc-java, tuned" server: served with {@code directExecutor()} (see
 * {@link BenchmarkServer}) and with manual flow control exactly as grpc-java's
 * {@code ManualFlowControlServer} example: take the next message only while the client can take
 * replies, so a slow client holds the server back instead of filling its memory.
 */
final class TunedGrpcService extends HelloServiceGrpc.HelloServiceImplBase {
  @Override
  public void hello(
      io.hellogrpc.api.proto.String request,
      StreamObserver<io.hellogrpc.api.proto.String> responseObserver) {
    responseObserver.onNext(Messages.reply(request));
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<io.hellogrpc.api.proto.String> channel(
      StreamObserver<io.hellogrpc.api.proto.String> responseObserver) {
    ServerCallStreamObserver<io.hellogrpc.api.proto.String> replies =
        (ServerCallStreamObserver<io.hellogrpc.api.proto.String>) responseObserver;
    replies.disableAutoRequest();
    // Set when a message was requested while the client was reading; cleared when it stopped.
    AtomicBoolean wasReady = new AtomicBoolean();
    replies.setOnReadyHandler(
        () -> {
          if (replies.isReady() && wasReady.compareAndSet(false, true)) {
            replies.request(1);
          }
        });
    return new StreamObserver<>() {
      @Override
      public void onNext(io.hellogrpc.api.proto.String message) {
        replies.onNext(Messages.reply(message));
        if (replies.isReady()) {
          replies.request(1);
        } else {
          wasReady.set(false); // the onReady handler requests the next one
        }
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled or went away; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
      }
    };
  }
}
