package io.hellogrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.hellogrpc.api.internal.HelloMethods;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.hellogrpc.testing.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process transport delivers exactly what is requested, so flow control is exact here: a
 * client that reads no replies may send the server's buffer full and not one message more.
 */
@Timeout(30)
class BackpressureTest {
  private final String name = "backpressure-" + UUID.randomUUID();
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

  @Test
  void aClientThatStopsReadingStopsTheServerReadingFromIt() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    server =
        HelloServer.builder()
            .inProcess(name)
            .receiveBufferSize(8)
            .onChannel(
                message -> {
                  handled.incrementAndGet();
                  return "hello:" + message;
                })
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    List<String> replies = new CopyOnWriteArrayList<>();
    ClientCall<String, String> call = channel.newCall(HelloMethods.CHANNEL, CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(String message) {
            replies.add(message);
          }
        },
        new Metadata());

    // The client requests no replies, and sends for as long as the server takes messages.
    Waiting.until("the server asks for messages", call::isReady);
    int sent = 0;
    while (call.isReady() && sent < 1000) {
      call.sendMessage("m" + sent++);
    }
    assertThat(sent).isEqualTo(8); // the server's receive buffer, and no more
    assertThat(handled.get()).isZero(); // no reply could go out, so none was made

    call.request(3);
    Waiting.until("three replies arrive", () -> replies.size() == 3);
    assertThat(replies).containsExactly("hello:m0", "hello:m1", "hello:m2");
    assertThat(handled.get()).isEqualTo(3); // one message taken per reply the client read
    call.cancel("test over", null);
  }
}
