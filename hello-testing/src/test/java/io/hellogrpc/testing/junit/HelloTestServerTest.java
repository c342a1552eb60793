package io.hellogrpc.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class HelloTestServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final HelloTestServer hello = new HelloTestServer();

  @Test
  void answersAsTheTutorialUntilTheTestSetsHandlers() throws Exception {
    assertThat(hello.client().hello("Ann")).isEqualTo("hello:Ann");
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("one");
      assertThat(chat.receive()).isEqualTo("hello:one");
      chat.complete();
      assertThat(chat.receive()).isNull();
    }
  }

  @Test
  void handlersAreTheTests() throws Exception {
    hello.onHello(name -> "hi " + name).onChannel(message -> message.toUpperCase());
    assertThat(hello.client().hello("Ann")).isEqualTo("hi Ann");
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("one");
      assertThat(chat.receive()).isEqualTo("ONE");
    }

    hello.onChat(
        session -> {
          for (String message : session.messages()) {
            session.send(message);
            session.send(message + " again");
          }
        });
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("two");
      chat.complete();
      assertThat(chat.replies()).containsExactly("two", "two again");
    }
  }

  @Test
  void recordsEveryCallAndWhatEachSessionReceived() throws Exception {
    hello.client().hello("Ann");
    hello.client().hello("Bob");
    try (ChatSession first = hello.client().openChat();
        ChatSession second = hello.client().openChat()) {
      first.send("a");
      first.send("b");
      assertThat(first.receive()).isEqualTo("hello:a");
      assertThat(first.receive()).isEqualTo("hello:b");
      second.send("c");
      assertThat(second.receive()).isEqualTo("hello:c");
    }

    assertThat(hello.helloCalls())
        .containsExactly(
            new RecordedCall("Ann", Optional.empty()), new RecordedCall("Bob", Optional.empty()));
    assertThat(hello.sessions())
        .extracting(RecordedSession::messages)
        .containsExactlyInAnyOrder(java.util.List.of("a", "b"), java.util.List.of("c"));
  }

  @Test
  void failsTheNextCallOnlyAndInOrder() throws Exception {
    hello
        .failNextCall(StatusCode.PERMISSION_DENIED, "not you")
        .failNextCall(StatusCode.RESOURCE_EXHAUSTED, "quota");

    assertThatThrownBy(() -> hello.client().hello("Ann"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED);
              assertThat(e.description()).isEqualTo("not you");
            });
    try (ChatSession chat = hello.client().openChat()) {
      assertThat(chat.awaitEnd(WAIT))
          .contains(new ChatEnd(StatusCode.RESOURCE_EXHAUSTED, "quota"));
    }
    assertThat(hello.client().hello("Ann")).isEqualTo("hello:Ann");
    assertThat(hello.helloCalls()).hasSize(2);
  }

  @Test
  void aDelayedReplyMissesAShorterDeadlineAndTheServerStopsWaiting() throws Exception {
    hello.delayReplies(Duration.ofSeconds(30));
    try (HelloClient impatient =
        hello.newClient(builder -> builder.helloDeadline(Duration.ofMillis(200)))) {
      assertThatThrownBy(() -> impatient.hello("Ann"))
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
      hello.delayReplies(Duration.ZERO);
      assertThat(impatient.hello("Bob")).isEqualTo("hello:Bob");
    }
  }

  @Test
  void aDelayHoldsEachSessionReply() throws Exception {
    hello.delayReplies(Duration.ofMillis(300));
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("one");
      assertThat(chat.poll(Duration.ofMillis(50))).isNull();
      assertThat(chat.poll(WAIT)).isEqualTo("hello:one");
    }
  }

  @Test
  void endsSessionsWithTheScriptedStatusAfterNMessages() throws Exception {
    hello.endSessionsAfter(2, StatusCode.RESOURCE_EXHAUSTED, "two is the limit");
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("a");
      chat.send("b");
      assertThat(chat.receive()).isEqualTo("hello:a");
      assertThat(chat.receive()).isEqualTo("hello:b");
      assertThatThrownBy(chat::receive)
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
                assertThat(e.description()).isEqualTo("two is the limit");
              });
    }
    assertThat(hello.sessions().get(0).messages()).containsExactly("a", "b");
  }

  @Test
  void aScriptedOkEndCompletesTheSessionAndAppliesToChatHandlersToo() throws Exception {
    hello.endSessionsAfter(1, StatusCode.OK, "");
    hello.onChat(
        session -> {
          for (String message = session.receive(); message != null; message = session.receive()) {
            session.send("got " + message);
          }
        });
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("a");
      assertThat(chat.receive()).isEqualTo("got a");
      assertThat(chat.receive()).isNull();
      assertThat(chat.end()).contains(ChatEnd.completed());
    }
  }

  @Test
  void refusesEverythingWhileAskedTo() throws Exception {
    hello.refuseAll(true);
    assertThatThrownBy(() -> hello.client().hello("Ann"))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
    try (ChatSession chat = hello.client().openChat()) {
      assertThat(chat.awaitEnd(WAIT)).hasValueSatisfying(
          end -> assertThat(end.code()).isEqualTo(StatusCode.UNAVAILABLE));
    }

    hello.refuseAll(false);
    assertThat(hello.client().hello("Ann")).isEqualTo("hello:Ann");
  }

  @Test
  void retriesGetThroughWhenOnlyTheFirstAttemptFails() {
    hello.failNextCall(StatusCode.UNAVAILABLE, "blip");
    try (HelloClient retrying = hello.newClient(builder -> builder.helloMaxAttempts(2))) {
      assertThat(retrying.hello("Ann")).isEqualTo("hello:Ann");
    }
    assertThat(hello.helloCalls()).extracting(RecordedCall::name).containsExactly("Ann", "Ann");
  }

  @Test
  void droppingTheConnectionEndsSessionsAndTheClientConnectsAgain() throws Exception {
    try (ChatSession chat = hello.client().openChat()) {
      chat.send("a");
      assertThat(chat.receive()).isEqualTo("hello:a");

      hello.dropConnections();

      assertThat(chat.awaitEnd(WAIT))
          .contains(
              new ChatEnd(
                  StatusCode.UNAVAILABLE,
                  "the connection was dropped (HelloTestServer.dropConnections)"));
    }
    assertThat(hello.client().hello("again")).isEqualTo("hello:again");
    assertThat(hello.server().activeSessions()).isZero();
  }

  @Test
  void droppingTheConnectionFailsAHelloCallInFlight() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    hello.onHello(
        name -> {
          started.countDown();
          new CountDownLatch(1).await(); // until the drop interrupts it
          return "never";
        });
    CompletableFuture<String> reply = hello.client().helloAsync("Ann");
    started.await();

    hello.dropConnections();

    assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(HelloException.class)
        .hasMessage("UNAVAILABLE: the connection was dropped (HelloTestServer.dropConnections)");
  }

  @Test
  void serversHaveNamesOfTheirOwn() {
    HelloTestServer other = new HelloTestServer();
    assertThat(other.name()).isNotEqualTo(hello.name()).startsWith("hello-test-");
  }

  @Test
  void serverOptionsComeBeforeTheStart() {
    assertThatThrownBy(() -> hello.serverOptions(builder -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before it starts");
  }
}
