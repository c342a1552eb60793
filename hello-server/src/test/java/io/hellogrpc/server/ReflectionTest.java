package io.hellogrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server reflection, as grpcurl and buf curl use it to list and call without the .proto. */
@Timeout(30)
class ReflectionTest {
  private final String name = "reflection-" + UUID.randomUUID();
  private HelloServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private void start(boolean reflection) throws Exception {
    server = HelloServer.builder().inProcess(name).reflection(reflection).start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** One request on a v1 reflection stream, and its one response. */
  private ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void listsHelloServiceAndDescribesIt() throws Exception {
    start(true);
    List<String> services =
        ask(ServerReflectionRequest.newBuilder().setListServices("").build())
            .getListServicesResponse()
            .getServiceList()
            .stream()
            .map(ServiceResponse::getName)
            .toList();
    assertThat(services)
        .contains("hello.v1.HelloService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");

    ServerReflectionResponse file =
        ask(
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("hello.v1.HelloService")
                .build());
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    var proto =
        com.google.protobuf.DescriptorProtos.FileDescriptorProto.parseFrom(
            file.getFileDescriptorResponse().getFileDescriptorProto(0));
    assertThat(proto.getName()).isEqualTo("hello/v1/hello.proto");
    assertThat(proto.getService(0).getMethodList())
        .extracting(m -> m.getName())
        .containsExactly("Hello", "Channel");
  }

  @Test
  @SuppressWarnings("deprecation") // v1alpha is what older tools ask
  void answersTheOlderV1AlphaToo() throws Exception {
    start(true);
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer =
        new CompletableFuture<>();
    var requests =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
        .extracting(s -> s.getName())
        .contains("hello.v1.HelloService");
  }

  @Test
  void isOffUnlessAskedFor() throws Exception {
    start(false);
    try {
      ask(ServerReflectionRequest.newBuilder().setListServices("").build());
      throw new AssertionError("reflection answered");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
