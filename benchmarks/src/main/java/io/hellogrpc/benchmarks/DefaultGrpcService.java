package io.hellogrpc.benchmarks;

import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.proto.HelloServiceGrpc;

/**
 * The "plain grpc-java, default" server: HelloService as grpc-java's tutorial writes it, a
 * StreamObserver per call and the server's default executor. It answers every message at once and
 * never looks at {@code isReady()}: that is what the tutorial does.
 */
final class DefaultGrpcService extends HelloServiceGrpc.HelloServiceImplBase {
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
    return new StreamObserver<>() {
      @Override
      public void onNext(io.hellogrpc.api.proto.String message) {
        try {
          responseObserver.onNext(Messages.reply(message));
        } catch (OutOfMemoryError e) {
          // Measurement only: grpc turns this into a status, so the benchmark could not tell.
          OutOfMemoryLog.record(e);
          throw e;
        }
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled or went away; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }
}
