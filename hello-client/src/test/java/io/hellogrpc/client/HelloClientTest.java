package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HelloClientTest {
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void helloAnswersAsTheTutorialByDefault() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    assertThat(pair.client.hello("Hello Service")).isEqualTo("hello:Hello Service");
    assertThat(pair.client.hello("")).isEqualTo("hello:");
  }

  @Test
  void helloUsesTheServersHandler() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onHello(name -> name.length() + " letters"));
    assertThat(pair.client.hello("four")).isEqualTo("4 letters");
  }

  @Test
  void aFailedHelloThrowsTheStatusAndTheNextCallWorks() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      if (name.isEmpty()) {
                        throw new HelloException(StatusCode.INVALID_ARGUMENT, "name is empty");
                      }
                      return "hello:" + name;
                    }));
    assertThatThrownBy(() -> pair.client.hello(""))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
              assertThat(e.description()).isEqualTo("name is empty");
            });
    assertThat(pair.client.hello("ann")).isEqualTo("hello:ann");
  }

  @Test
  void helloGivesUpAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      release.await(10, TimeUnit.SECONDS);
                      return "too late";
                    }),
            client -> client.helloDeadline(Duration.ofMillis(100)));
    try {
      assertThatThrownBy(() -> pair.client.hello("x"))
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    } finally {
      release.countDown();
    }
  }

  @Test
  void helloAsyncCompletesOnTheCallbackExecutor() throws Exception {
    CountDownLatch replyGate = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      replyGate.await(10, TimeUnit.SECONDS);
                      return "hello:" + name;
                    }));
    // The dependent stage is in place before the reply exists, so it runs where completion runs.
    CompletableFuture<String> thread =
        pair.client
            .helloAsync("async")
            .thenApply(reply -> reply + " on " + Thread.currentThread().getName());
    replyGate.countDown();
    assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("hello:async on hello-client-callback-");
  }

  @Test
  void helloAsyncFailsWithTheStatus() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      throw new HelloException(StatusCode.PERMISSION_DENIED, "not you");
                    }));
    HelloException e = Background.failureOf(pair.client.helloAsync("x"));
    assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED);
    assertThat(e.description()).isEqualTo("not you");
  }

  @Test
  void cancellingTheFutureCancelsTheCallOnTheServer() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      Context.current().addListener(context -> cancelled.countDown(), Runnable::run);
                      started.countDown();
                      cancelled.await(10, TimeUnit.SECONDS);
                      return "ignored";
                    }));
    CompletableFuture<String> reply = pair.client.helloAsync("x");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    reply.cancel(true);
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesNullAndOversizedNamesBeforeSending() throws Exception {
    pair = InProcessPair.start(HelloServer.builder(), client -> client.maxMessageSize(10));
    assertThatThrownBy(() -> pair.client.hello(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> pair.client.hello("far too long a name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit of 10 bytes");
    assertThatThrownBy(() -> pair.client.helloAsync(null)).isInstanceOf(NullPointerException.class);
    assertThat(pair.client.hello("ok")).isEqualTo("hello:ok");
  }

  @Test
  void aClosedClientSaysSo() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    pair.client.close();
    assertThatThrownBy(() -> pair.client.hello("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the HelloClient is closed");
    assertThatThrownBy(() -> pair.client.openChat()).isInstanceOf(IllegalStateException.class);
  }
}
