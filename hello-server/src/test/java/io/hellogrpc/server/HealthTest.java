package io.hellogrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The standard health service, grpc.health.v1, as load balancers and Kubernetes probes see it. */
@Timeout(30)
class HealthTest {
  private final String name = "health-" + UUID.randomUUID();
  private HelloServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    // A grace no stall of the test can outlast: the drain below must still be on when checked.
    server =
        HelloServer.builder().inProcess(name).shutdownGracePeriod(Duration.ofSeconds(30)).start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private static HealthCheckRequest service(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  @Test
  void theServerAndHelloServiceAreServingWhileUp() {
    var health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(service("")).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(service("hello.v1.HelloService")).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThatThrownBy(() -> health.check(service("no.such.Service")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void aWatcherSeesNotServingFromTheMomentShutdownStarts() throws Exception {
    List<ServingStatus> seen = new CopyOnWriteArrayList<>();
    Context.CancellableContext watch = Context.current().withCancellation();
    watch.run(
        () ->
            HealthGrpc.newStub(channel)
                .watch(
                    service("hello.v1.HelloService"),
                    new StreamObserver<HealthCheckResponse>() {
                      @Override
                      public void onNext(HealthCheckResponse response) {
                        seen.add(response.getStatus());
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    Waiting.until("the first status", () -> !seen.isEmpty());

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    Waiting.until("the watcher hears of the drain", () -> seen.size() == 2);
    assertThat(seen).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
    assertThat(server.isTerminated()).isFalse(); // the drain is still on: the watch is open
    Status refused =
        Refusals.firstRefusal(() -> HealthGrpc.newBlockingStub(channel).check(service("")));
    assertThat(server.isShutdown()).isTrue();
    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    watch.cancel(null); // the watcher goes away, and with it the last open call
    closing.get(10, TimeUnit.SECONDS);
    assertThat(server.isTerminated()).isTrue();
  }
}
