package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Deadline;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deadlines and idle timeouts of one call or session, beside the client's defaults. */
@Timeout(30)
class CallSettingsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final CountDownLatch release = new CountDownLatch(1);
  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    if (pair != null) {
      pair.close();
    }
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  /**
   * The deadline the server sees for the call being handled, in whole minutes left: grpc carries
   * the client's deadline to the server, so this shows which deadline a call got, without
   * waiting for any of them to pass.
   */
  private static String minutesLeft() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null ? "none" : Long.toString(deadline.timeRemaining(TimeUnit.MINUTES));
  }

  private HelloServer.Builder reportingDeadlines() {
    return HelloServer.builder()
        .onHello(name -> minutesLeft())
        .onChat(session -> session.send(minutesLeft()));
  }

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aCallsDeadlineReplacesTheClientsDefault() throws Exception {
    pair =
        InProcessPair.start(
            reportingDeadlines(), c -> c.helloDeadline(TEN_MINUTES).chatDeadline(TEN_MINUTES));
    CallSettings hour = CallSettings.builder().deadline(HOUR).build();

    assertThat(pair.client.hello("x")).isEqualTo("9");
    assertThat(pair.client.hello("x", HOUR)).isEqualTo("59");
    assertThat(pair.client.hello("x", hour)).isEqualTo("59");
    assertThat(pair.client.helloAsync("x", hour).get(10, TimeUnit.SECONDS)).isEqualTo("59");
    assertThat(pair.client.hello("x", CallSettings.defaults())).isEqualTo("9");
    try (ChatSession chat = pair.client.openChat(hour)) {
      assertThat(chat.receive()).isEqualTo("59");
    }
    try (ChatSession chat = pair.client.openChat()) {
      assertThat(chat.receive()).isEqualTo("9");
    }
    try (ChatSession chat = pair.client.openChat(CallSettings.builder().header("x", "y").build())) {
      assertThat(chat.receive()).as("settings without a deadline keep the client's").isEqualTo("9");
    }
  }

  @Test
  void aSessionGetsADeadlineFromItsSettingsWhereTheClientHasNone() throws Exception {
    pair = InProcessPair.start(reportingDeadlines());
    try (ChatSession chat = pair.client.openChat()) {
      assertThat(chat.receive()).isEqualTo("none");
    }
    try (ChatSession chat = pair.client.openChat(CallSettings.builder().deadline(HOUR).build())) {
      assertThat(chat.receive()).isEqualTo("59");
    }
  }

  @Test
  void helloWithADeadlineFailsWhenItPasses() throws Exception {
    pair = InProcessPair.start(HelloServer.builder().onHello(name -> awaitRelease()));
    assertThatThrownBy(() -> pair.client.hello("x", Duration.ofMillis(200)))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
  }

  private String awaitRelease() throws InterruptedException {
    release.await();
    return "released";
  }

  @Test
  void aSessionsOwnDeadlineAndIdleTimeoutEndItSayingWhichItWas() throws Exception {
    pair = InProcessPair.start(HelloServer.builder());
    ChatSession brief =
        pair.client.openChat(CallSettings.builder().deadline(Duration.ofMillis(300)).build());
    ChatSession idle =
        pair.client.openChat(CallSettings.builder().idleTimeout(Duration.ofMillis(300)).build());
    idle.send("one");
    assertThat(idle.receive()).isEqualTo("hello:one");

    assertThat(brief.awaitEnd(Duration.ofSeconds(10)))
        .contains(
            new ChatEnd(
                StatusCode.DEADLINE_EXCEEDED,
                "the session lasted longer than its deadline of PT0.3S"));
    assertThat(idle.awaitEnd(Duration.ofSeconds(10)))
        .contains(
            new ChatEnd(
                StatusCode.DEADLINE_EXCEEDED,
                "the session was idle for PT0.3S: no message in either direction (idleTimeout)"));
  }

  @Test
  void aSessionsIdleTimeoutReplacesTheClientsForThatSessionOnly() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder(), c -> c.chatIdleTimeout(Duration.ofMillis(300)));
    ChatSession patient =
        pair.client.openChat(CallSettings.builder().idleTimeout(HOUR).build());
    ChatSession ordinary = pair.client.openChat();

    assertThat(ordinary.awaitEnd(Duration.ofSeconds(10)).map(ChatEnd::description))
        .contains(
            "the session was idle for PT0.3S: no message in either direction (chatIdleTimeout)");
    assertThat(patient.end()).as("past the client's idle timeout").isEmpty();
    patient.send("still here");
    assertThat(patient.receive()).isEqualTo("hello:still here");
    patient.complete();
    assertThat(patient.receive()).isNull();
  }

  @Test
  void settingsAreCheckedAsTheyAreSetAndHelloRefusesAnIdleTimeout() throws Exception {
    assertThatThrownBy(() -> CallSettings.builder().deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline must be positive: PT0S");
    assertThatThrownBy(() -> CallSettings.builder().idleTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be positive: PT-1S");
    assertThatThrownBy(() -> CallSettings.builder().deadline(null))
        .isInstanceOf(NullPointerException.class);

    pair = InProcessPair.start(HelloServer.builder());
    assertThatThrownBy(() -> pair.client.hello("x", Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline must be positive: PT-0.005S");
    CallSettings idle = CallSettings.builder().idleTimeout(Duration.ofSeconds(5)).build();
    String refusal =
        "idleTimeout(PT5S) is for chat sessions: hello takes a deadline and headers only";
    assertThatThrownBy(() -> pair.client.hello("x", idle)).hasMessage(refusal);
    assertThatThrownBy(() -> pair.client.helloAsync("x", idle)).hasMessage(refusal);
    assertThatThrownBy(() -> pair.client.hello("x", (CallSettings) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> pair.client.openChat((CallSettings) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void settingsAreImmutableAndDeriveVariants() {
    CallSettings.Builder builder = CallSettings.builder().deadline(HOUR).header("x-a", "1");
    CallSettings first = builder.build();
    builder.header("x-b", "2");
    CallSettings variant = first.toBuilder().idleTimeout(TEN_MINUTES).build();

    assertThat(first.deadline()).contains(HOUR);
    assertThat(first.idleTimeout()).isEmpty();
    assertThat(first).hasToString("CallSettings{deadline=PT1H, idleTimeout=null, headers=[x-a]}");
    assertThat(variant)
        .hasToString("CallSettings{deadline=PT1H, idleTimeout=PT10M, headers=[x-a]}");
    assertThat(CallSettings.defaults())
        .hasToString("CallSettings{deadline=null, idleTimeout=null, headers=[]}");
  }
}
