package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.StatusCode;
import io.hellogrpc.testing.junit.HelloTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client command's exchange against a server that misbehaves on cue. */
@Timeout(60)
class ExchangeTest {
  @RegisterExtension final HelloTestServer hello = new HelloTestServer();

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void checksEveryReplyInOrder() throws Exception {
    Exchange.Result result =
        Exchange.run(hello.client(), i -> "m" + i, 500, Duration.ofSeconds(30), 2, out);

    assertThat(result.ok()).isTrue();
    assertThat(result.summary()).startsWith("sent 500, received 500, all in order");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("Stream server : hello:m0\nStream server : hello:m1\n".replace("\n",
            System.lineSeparator()));
    assertThat(hello.sessions().get(0).messages()).hasSize(500).startsWith("m0", "m1");
  }

  @Test
  void saysHowASessionTheServerEndedFailed() throws Exception {
    hello.endSessionsAfter(10, StatusCode.UNAVAILABLE, "going away");

    Exchange.Result result =
        Exchange.run(hello.client(), i -> "m" + i, 500, Duration.ofSeconds(30), 0, out);

    assertThat(result.ok()).isFalse();
    assertThat(result.received()).isEqualTo(10);
    assertThat(result.summary()).contains("FAILED: ").contains("UNAVAILABLE: going away");
  }

  @Test
  void namesTheFirstReplyOutOfLine() throws Exception {
    hello.onChannel(message -> message.equals("m3") ? "hello:m4" : "hello:" + message);

    Exchange.Result result =
        Exchange.run(hello.client(), i -> "m" + i, 10, Duration.ofSeconds(30), 0, out);

    assertThat(result.summary()).contains("FAILED: reply 3 was 'hello:m4', expected 'hello:m3'");
  }
}
