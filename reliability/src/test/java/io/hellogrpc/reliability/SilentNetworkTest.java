package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.Background;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network between client and server goes silent: no packet gets through, yet neither side's
 * connection is closed, so only keepalive can tell.
 */
@Timeout(120)
@ExtendWith(NoNettyLeaks.class)
class SilentNetworkTest {
  private static final Duration CLIENT_KEEPALIVE = Duration.ofSeconds(10); // grpc's least
  private static final Duration SERVER_KEEPALIVE = Duration.ofSeconds(3);
  private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(2);
  /** Time for timers and threads to run on a busy machine, beyond what keepalive is set to. */
  private static final Duration SLACK = Duration.ofSeconds(8);

  @Test
  void keepaliveEndsTheSessionOnBothSidesWithinTheConfiguredTime() throws Exception {
    try (HelloServer server =
            HelloServer.builder()
                .host("127.0.0.1")
                .port(0)
                .permitKeepAliveTime(CLIENT_KEEPALIVE) // the default 20 s would refuse our pings
                .keepAliveTime(SERVER_KEEPALIVE)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT)
                .start();
        TcpRelay relay = TcpRelay.to(server.port());
        HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + relay.port())
                .keepAliveTime(CLIENT_KEEPALIVE)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT)
                .build()) {
      ChatSession chat = client.openChat();
      chat.send("through the relay");
      assertThat(chat.receive()).isEqualTo("hello:through the relay");
      assertThat(server.activeSessions()).isOne();
      Background<String> receiving = Background.start("receiver", chat::receive).untilBlocked();

      relay.goSilent();
      long silentAt = System.nanoTime();

      Optional<ChatEnd> end =
          chat.awaitEnd(CLIENT_KEEPALIVE.plus(KEEPALIVE_TIMEOUT).plus(SLACK));
      Duration noticed = Duration.ofNanos(System.nanoTime() - silentAt);
      assertThat(end)
          .as("the session ended by keepalive")
          .hasValueSatisfying(
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                assertThat(e.description()).containsIgnoringCase("keepalive");
              });
      assertThat(receiving.failure().code()).isEqualTo(StatusCode.UNAVAILABLE);
      // The server pings more often, so it has let go of the session already or does so soon.
      Waiting.until("the server frees the session", () -> server.activeSessions() == 0);
      System.out.printf(
          "silent network: the client noticed after %d ms (keepalive %s + timeout %s): %s%n",
          noticed.toMillis(), CLIENT_KEEPALIVE, KEEPALIVE_TIMEOUT, end.orElseThrow());
    }
  }
}
