package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.internal.HelloMethods;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ChatSession.close()}: the server gets a grace period to finish, then the session ends. */
@Timeout(30)
class CloseGraceTest {
  private final String name = "close-grace-" + UUID.randomUUID();
  private final CountDownLatch serverMayFinish = new CountDownLatch(1);
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private HelloServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    timer.setRemoveOnCancelPolicy(true); // as the HelloClient's own timer
    server =
        HelloServer.builder()
            .inProcess(name)
            .onChat(session -> serverMayFinish.await()) // returning completes the session
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    serverMayFinish.countDown();
    channel.shutdownNow();
    server.shutdownNow();
    timer.shutdownNow();
    assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }

  private RealChatSession open(Duration closeGrace) {
    RealChatSession session =
        RealChatSession.create(
            new RealChatSession.Settings(
                16, 1024, Runnable::run, timer, closeGrace, null,
                s -> {}),
            channel.newCall(HelloMethods.CHANNEL, CallOptions.DEFAULT),
            null);
    session.start();
    return session;
  }

  @Test
  void aServerThatDoesNotFinishWithinTheGraceIsCancelledSayingSo() throws Exception {
    RealChatSession session = open(Duration.ofMillis(200));
    session.close();

    assertThat(session.awaitEnd(Duration.ofSeconds(10)))
        .contains(
            new ChatEnd(
                StatusCode.CANCELLED,
                "closed by the client, and the server did not finish within 0.2 seconds"));
    Waiting.until("the server frees the session", () -> server.activeSessions() == 0);
  }

  @Test
  void aServerThatFinishesEndsTheSessionNormallyAndTheDeadlineIsDroppedAtOnce() throws Exception {
    RealChatSession session = open(Duration.ofSeconds(30));
    session.close();
    assertThat(timer.getQueue()).as("the close deadline").hasSize(1);

    serverMayFinish.countDown();

    assertThat(session.awaitEnd(Duration.ofSeconds(10))).contains(ChatEnd.completed());
    // Not after 30 s: the timer holds nothing, and so keeps no ended session reachable.
    Waiting.until("the deadline is dropped", () -> timer.getQueue().isEmpty());
    assertThat(timer.getCompletedTaskCount()).as("deadlines that ran").isZero();
  }

  @Test
  void closingTwiceSetsOneDeadlineAndTheEndDropsIt() throws Exception {
    RealChatSession session = open(Duration.ofSeconds(30));
    session.close();
    session.close();
    assertThat(timer.getQueue()).as("close deadlines").hasSize(1);

    serverMayFinish.countDown();

    assertThat(session.awaitEnd(Duration.ofSeconds(10))).contains(ChatEnd.completed());
    Waiting.until("the deadline is dropped", () -> timer.getQueue().isEmpty());
  }
}
