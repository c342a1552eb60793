package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloEventListener;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ordinary ends, with everything watching (an event listener and OpenTelemetry on both sides), over
 * Netty on 127.0.0.1: a client that cancels, deadlines that pass, a server that shuts down under
 * an open session. Each is a status the application sees, an event and a figure, and nothing in
 * the log above INFO on either side.
 */
@Timeout(60)
class ObservedOrdinaryEndsTest {
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final TestTelemetry clientSide = new TestTelemetry();
  private final TestTelemetry serverSide = new TestTelemetry();
  private final List<String> clientEnds = new CopyOnWriteArrayList<>();
  private final List<String> serverEnds = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HelloServer server;
  private HelloClient client;

  /** Records how sessions and Hellos ended, as "session CANCELLED" or "hello OK". */
  private static HelloEventListener recording(List<String> ends) {
    return new HelloEventListener() {
      @Override
      public void sessionEnded(
          long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {
        ends.add("session " + end.code());
      }

      @Override
      public void helloEnded(StatusCode status, Duration latency) {
        ends.add("hello " + status);
      }
    };
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    clientSide.close();
    serverSide.close();
  }

  @Test
  void cancelsDeadlinesAndAServerThatShutsDownLogNothingAboveInfo() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  release.await(); // until the test is over: the client's deadline passes first
                  return "hello:" + name;
                })
            .shutdownGracePeriod(Duration.ofMillis(200))
            .eventListener(recording(serverEnds))
            .openTelemetry(serverSide.openTelemetry())
            .start();
    client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .helloDeadline(Duration.ofMillis(200))
            .eventListener(recording(clientEnds))
            .openTelemetry(clientSide.openTelemetry())
            .build();

    // The client cancels a session.
    ChatSession cancelled = client.openChat();
    cancelled.send("a");
    assertThat(cancelled.receive()).isEqualTo("hello:a");
    cancelled.cancel();
    // A Hello's deadline passes while its handler runs.
    assertThatThrownBy(() -> client.hello("slow"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
    // A session's deadline passes.
    ChatSession timed =
        client.openChat(CallSettings.builder().deadline(Duration.ofMillis(200)).build());
    assertThat(timed.awaitEnd(Duration.ofSeconds(10)).orElseThrow().code())
        .isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    Waiting.until("the server sees those three end", () -> serverEnds.size() == 3);
    // The server shuts down under an open session, which it ends when its grace is over.
    ChatSession orphaned = client.openChat();
    orphaned.send("b");
    assertThat(orphaned.receive()).isEqualTo("hello:b");
    server.close();
    assertThat(orphaned.awaitEnd(Duration.ofSeconds(10)).orElseThrow().code())
        .isEqualTo(StatusCode.UNAVAILABLE);
    Waiting.until("the client hears all its ends", () -> clientEnds.size() == 4);
    Waiting.until("the server hears all its ends", () -> serverEnds.size() == 4);

    assertThat(clientEnds)
        .containsExactly(
            "session CANCELLED", "hello DEADLINE_EXCEEDED", "session DEADLINE_EXCEEDED",
            "session UNAVAILABLE");
    assertThat(serverEnds.subList(0, 3))
        .containsExactlyInAnyOrder(
            "session CANCELLED", "hello DEADLINE_EXCEEDED", "session DEADLINE_EXCEEDED");
    assertThat(serverEnds.get(3)).isEqualTo("session UNAVAILABLE"); // shutting down
    assertThat(clientSide.helloFigures())
        .contains(
            "hello.client.hello.duration{rpc.response.status_code=DEADLINE_EXCEEDED} count=1",
            "hello.client.session.duration{rpc.response.status_code=CANCELLED} count=1",
            "hello.client.session.duration{rpc.response.status_code=DEADLINE_EXCEEDED} count=1",
            "hello.client.session.duration{rpc.response.status_code=UNAVAILABLE} count=1");
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }
}
