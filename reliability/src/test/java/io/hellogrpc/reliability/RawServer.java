package io.hellogrpc.reliability;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A grpc server that bypasses the library and answers every HelloService message with fixed bytes. */
final class RawServer implements AutoCloseable {
  private final Server server;

  private RawServer(Server server) {
    this.server = server;
  }

  static RawServer replyingWith(byte[] reply) throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("hello.v1.HelloService")
            .addMethod(
                RawPeer.HELLO,
                ServerCalls.asyncUnaryCall(
                    (request, replies) -> {
                      replies.onNext(reply);
                      replies.onCompleted();
                    }))
            .addMethod(
                RawPeer.CHANNEL,
                ServerCalls.asyncBidiStreamingCall(
                    replies ->
                        new StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] request) {
                            replies.onNext(reply);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            replies.onCompleted();
                          }
                        }))
            .build();
    return new RawServer(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start());
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
