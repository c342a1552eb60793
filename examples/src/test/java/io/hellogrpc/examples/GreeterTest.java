package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.testing.junit.HelloTestServer;
import io.hellogrpc.testing.junit.RecordedCall;
import io.hellogrpc.testing.junit.RecordedSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GreeterTest {
  @RegisterExtension final HelloTestServer hello = new HelloTestServer();

  @Test
  void greetsThroughTheService() {
    hello.onHello(name -> "hi " + name);

    assertThat(new Greeter(hello.client()).greet("Ann")).isEqualTo("hi Ann");
    assertThat(hello.helloCalls()).extracting(RecordedCall::name).containsExactly("Ann");
  }

  @Test
  void greetsLocallyWhileTheServiceIsDown() {
    hello.refuseAll(true); // every call fails UNAVAILABLE

    assertThat(new Greeter(hello.client()).greet("Ann")).isEqualTo("hello, Ann (offline)");
  }

  @Test
  void passesOtherFailuresOn() {
    hello.failNextCall(StatusCode.PERMISSION_DENIED, "not you");

    assertThatThrownBy(() -> new Greeter(hello.client()).greet("Ann"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED));
  }

  @Test
  void givesUpOnASlowServiceAtItsDeadline() {
    hello.delayReplies(Duration.ofSeconds(5));
    try (HelloClient impatient =
        hello.newClient(client -> client.helloDeadline(Duration.ofMillis(100)))) {
      assertThatThrownBy(() -> new Greeter(impatient).greet("Ann"))
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void chatsLineByLine() throws Exception {
    List<String> replies = new Greeter(hello.client()).chat(List.of("a", "b"));

    assertThat(replies).containsExactly("hello:a", "hello:b");
    assertThat(hello.sessions())
        .extracting(RecordedSession::messages)
        .containsExactly(List.of("a", "b"));
  }

  @Test
  void reportsASessionTheServerCutShort() {
    hello.endSessionsAfter(1, StatusCode.RESOURCE_EXHAUSTED, "one line per session");

    assertThatThrownBy(() -> new Greeter(hello.client()).chat(List.of("a", "b")))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.description()).isEqualTo("one line per session"));
  }
}
