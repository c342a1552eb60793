package io.hellogrpc.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.util.concurrent.TimeUnit;

/**
 * A client whose sessions are driven by blocking calls, one thread per session: the library's
 * {@link ChatSession}, or plain grpc-java's own blocking bidi API ({@code newBlockingV2Stub},
 * {@link BlockingClientCall}, experimental in grpc-java), as someone writing for virtual threads
 * would use either.
 */
interface BlockingSessions extends AutoCloseable {
  /** One session, used by one thread. */
  interface Session extends AutoCloseable {
    /** Sends, blocking while the transport is not ready. */
    void send(String message) throws Exception;

    /** The next reply, or null after the server's normal end. */
    String receive() throws Exception;

    /** No more sends. */
    void complete() throws Exception;

    /** Cancels the session unless it has ended. */
    @Override
    void close();
  }

  /** A {@code Hello} call, to open the first connection before anything is measured. */
  void hello(String name) throws Exception;

  Session open() throws Exception;

  @Override
  void close();

  static BlockingSessions connect(Implementation implementation, int port) {
    if (implementation == Implementation.LIBRARY) {
      return new Library(HelloClient.builder().target("127.0.0.1:" + port).build());
    }
    ManagedChannelBuilder<?> channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (implementation == Implementation.GRPC_TUNED) {
      channel.directExecutor();
    }
    return new Grpc(channel.build());
  }

  /** The library as its README shows it: one HelloClient, a ChatSession per session. */
  final class Library implements BlockingSessions {
    private final HelloClient client;

    Library(HelloClient client) {
      this.client = client;
    }

    @Override
    public void hello(String name) {
      client.hello(name);
    }

    @Override
    public Session open() {
      ChatSession chat = client.openChat();
      return new Session() {
        @Override
        public void send(String message) throws InterruptedException {
          chat.send(message);
        }

        @Override
        public String receive() throws InterruptedException {
          return chat.receive();
        }

        @Override
        public void complete() {
          chat.complete();
        }

        @Override
        public void close() {
          chat.close();
        }
      };
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Plain grpc-java: the generated blocking V2 stub, whose {@code channel()} blocks per call. */
  final class Grpc implements BlockingSessions {
    private final ManagedChannel channel;
    private final HelloServiceGrpc.HelloServiceBlockingV2Stub stub;

    Grpc(ManagedChannel channel) {
      this.channel = channel;
      this.stub = HelloServiceGrpc.newBlockingV2Stub(channel);
    }

    @Override
    public void hello(String name) throws StatusException {
      stub.hello(Messages.wire(name));
    }

    @Override
    public Session open() {
      BlockingClientCall<io.hellogrpc.api.proto.String, io.hellogrpc.api.proto.String> call = stub.channel();
      return new Session() {
        private boolean ended;

        @Override
        public void send(String message) throws InterruptedException, StatusException {
          if (!call.write(Messages.wire(message))) {
            throw new BenchmarkFailure("the call ended before '" + message + "' could be sent");
          }
        }

        @Override
        public String receive() throws InterruptedException, StatusException {
          io.hellogrpc.api.proto.String reply = call.read();
          if (reply == null) {
            ended = true;
            return null;
          }
          return reply.getValue();
        }

        @Override
        public void complete() {
          call.halfClose();
        }

        @Override
        public void close() {
          if (!ended) {
            call.cancel("the session was closed before its end", null);
          }
        }
      };
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
}
