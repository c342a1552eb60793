package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Text with half a UTF-16 surrogate pair cannot be UTF-8: it used to go out as "?". Both sides
 * refuse it like any other invalid message.
 */
@Timeout(30)
class LoneSurrogateTest {
  private static final String LONE = "a\uD800b";
  private static final String REFUSED =
      "a lone surrogate \\uD800 at index 1, which UTF-8 cannot encode (half of a UTF-16 pair"
          + " without its other half); it was not sent";

  @Test
  void theClientRefusesToSendOneAndTheSessionCarriesOn() throws Exception {
    try (InProcessPair pair = InProcessPair.start(HelloServer.builder());
        ChatSession chat = pair.client.openChat()) {
      assertThatThrownBy(() -> pair.client.hello(LONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("message has " + REFUSED);
      assertThatThrownBy(() -> pair.client.helloAsync(LONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("message has " + REFUSED);
      assertThatThrownBy(() -> chat.send(LONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("message has " + REFUSED);

      chat.send("\uD83D\uDE00"); // a whole pair is text like any other
      assertThat(chat.receive()).isEqualTo("hello:\uD83D\uDE00");
      assertThat(pair.client.hello("\uD83D\uDE00")).isEqualTo("hello:\uD83D\uDE00");
    }
  }

  @Test
  void aHandlerReplyWithOneFailsItsCall() throws Exception {
    try (InProcessPair pair =
        InProcessPair.start(HelloServer.builder().onHello(name -> LONE).onChannel(m -> LONE))) {
      assertThatThrownBy(() -> pair.client.hello("x"))
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
                assertThat(e.description()).isEqualTo("the Hello handler's reply has " + REFUSED);
              });
      ChatSession chat = pair.client.openChat();
      chat.send("x");
      assertThat(chat.awaitEnd(Duration.ofSeconds(10)))
          .contains(
              new ChatEnd(StatusCode.INTERNAL, "the Channel handler's reply has " + REFUSED));
    }
  }

  @Test
  void aChatHandlerSendingOneGetsIllegalArgumentException() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    try (InProcessPair pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChat(
                    session -> {
                      try {
                        session.send(LONE);
                        refused.complete(null);
                      } catch (IllegalArgumentException e) {
                        refused.complete(e);
                        session.send("refused");
                      }
                    }));
        ChatSession chat = pair.client.openChat()) {
      assertThat(chat.receive()).isEqualTo("refused");
      assertThat(refused.get(10, TimeUnit.SECONDS)).hasMessage("message has " + REFUSED);
    }
  }
}
