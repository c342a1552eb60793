package io.hellogrpc.reliability;

import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A grpc client that bypasses the library: it sends whatever bytes it is given as HelloService
 * messages, ignores flow control unless asked, and reads replies only when told to.
 */
final class RawPeer implements AutoCloseable {
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> HELLO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("hello.v1.HelloService/Hello")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  /** The standard health check, which a server answers without a token. */
  static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK =
      HELLO.toBuilder().setFullMethodName("grpc.health.v1.Health/Check").build();

  static final MethodDescriptor<byte[], byte[]> CHANNEL =
      HELLO.toBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName("hello.v1.HelloService/Channel")
          .build();

  /** A hello.v1.String whose value is {@code utf8}, however invalid. */
  static byte[] message(byte[] utf8) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeByteArray(1, utf8); // on the wire a string is length-delimited bytes, unchecked here
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] message(String value) {
    return message(value.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of a hello.v1.String that has only field 1, as the library sends. */
  static String value(byte[] encoded) {
    try {
      return io.hellogrpc.api.proto.String.parseFrom(encoded).getValue();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not a hello.v1.String", e);
    }
  }

  private final ManagedChannel channel;

  RawPeer(int port) {
    this(port, null);
  }

  /** Sends {@code authorization: Bearer token} with every call, unless {@code token} is null. */
  RawPeer(int port, String token) {
    Metadata authorization = new Metadata();
    if (token != null) {
      authorization.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    }
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .intercept(MetadataUtils.newAttachHeadersInterceptor(authorization))
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
  }

  /** One call; its replies and end are recorded. Nothing is read until {@link #read(int)}. */
  Call open(MethodDescriptor<byte[], byte[]> method) {
    return new Call(channel.newCall(method, CallOptions.DEFAULT));
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

  static final class Call extends ClientCall.Listener<byte[]> {
    final ClientCall<byte[], byte[]> call;
    final List<byte[]> replies = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    private volatile boolean discarding;

    private Call(ClientCall<byte[], byte[]> call) {
      this.call = call;
      call.start(this, new Metadata());
    }

    /** Sends without waiting for the transport to be ready: grpc buffers what it cannot send. */
    Call send(byte[] encoded) {
      call.sendMessage(encoded);
      return this;
    }

    Call read(int replies) {
      call.request(replies);
      return this;
    }

    Call halfClose() {
      call.halfClose();
      return this;
    }

    /**
     * Cancels the call, and takes whatever grpc still holds for it, unread, so that it ends all
     * the same if the connection went first. grpc ends a call whose transport failed only once the
     * application has read every reply it buffered (cancel cannot reach a transport that is gone):
     * a call that never reads would never end, and its buffers would never be released.
     */
    void cancel() {
      discarding = true;
      call.cancel("the test is done with this call", null);
      call.request(Integer.MAX_VALUE);
    }

    Status awaitEnd(Duration timeout) throws Exception {
      return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(byte[] message) {
      if (!discarding) {
        replies.add(message);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      end.complete(status);
    }
  }
}
