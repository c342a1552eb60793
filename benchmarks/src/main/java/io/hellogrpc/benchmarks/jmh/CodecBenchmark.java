package io.hellogrpc.benchmarks.jmh;

import io.grpc.Drainable;
import io.grpc.MethodDescriptor;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.api.internal.OutboundMessages;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec: what a message costs to encode and decode, the library's {@code String} marshaller
 * ({@link HelloMethods}) beside grpc-protobuf's marshaller of the generated class, which is what
 * plain grpc-java pays. Encoding drains into a {@link FramerSink}, as grpc's framer drains it;
 * decoding reads the bytes a peer sent. {@code check} is the validation every sent message passes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private static final MethodDescriptor<io.hellogrpc.api.proto.String, io.hellogrpc.api.proto.String>
      GENERATED = HelloServiceGrpc.getChannelMethod();
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** Message length in chars: the workloads' few digits, and a larger one. */
  @Param({"6", "1024"})
  public int chars;

  private String message;
  private byte[] encoded;
  private FramerSink sink;

  @Setup
  public void setUp() throws IOException {
    message = Texts.digits(chars);
    encoded = HelloMethods.CHANNEL.streamRequest(message).readAllBytes();
    sink = new FramerSink();
  }

  /** The library: String to wire bytes, drained into the framer. */
  @Benchmark
  public long encode() throws IOException {
    return drain(HelloMethods.CHANNEL.streamRequest(message));
  }

  /** Plain grpc-java: build the generated message, then its marshaller's stream, drained. */
  @Benchmark
  public long encodeGenerated() throws IOException {
    return drain(
        GENERATED.streamRequest(
            io.hellogrpc.api.proto.String.newBuilder().setValue(message).build()));
  }

  /** The library's client: a reply's bytes to a String. */
  @Benchmark
  public String decodeReply() {
    return HelloMethods.CHANNEL.parseResponse(new ByteArrayInputStream(encoded));
  }

  /** The library's server: a request's bytes, then decoded with its own error reporting. */
  @Benchmark
  public String decodeRequest() throws Exception {
    return HelloMethods.decodeRequest(
        HelloMethods.SERVER_CHANNEL.parseRequest(new ByteArrayInputStream(encoded)));
  }

  /** Plain grpc-java: bytes to the generated message, then its value. */
  @Benchmark
  public String decodeGenerated() {
    return GENERATED.parseResponse(new ByteArrayInputStream(encoded)).getValue();
  }

  /** The checks every sent message passes: null, size, lone surrogates. */
  @Benchmark
  public String check() {
    OutboundMessages.check(message, MAX_MESSAGE_BYTES);
    return message;
  }

  private long drain(InputStream stream) throws IOException {
    ((Drainable) stream).drainTo(sink);
    return sink.written();
  }
}
