package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes that are not HTTP/2, or an HTTP/2 preface that never finishes, written straight to the
 * server's port: the server closes those connections and serves everyone else meanwhile.
 */
@Timeout(60)
@ExtendWith(NoNettyLeaks.class)
class HostileConnectionsTest {
  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  /** Short, so the test is; long enough for an honest client's handshake on a loaded machine. */
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
  /** How long a hostile connection may stay open: well past the handshake timeout. */
  private static final int CLOSED_WITHIN_MILLIS = 10_000;
  /**
   * All grpc says of a connection that is not HTTP/2: INFO, with the Http2Exception that closed it
   * (logged at FINE instead when the socket was reset first).
   */
  private static final String GRPCS_NOTE_OF_A_BAD_CONNECTION =
      "INFO io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections:"
          + " Transport failed"
          + " [io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception: ";

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final Random random = new Random(20240501); // seeded: a failure can be replayed
  private HelloServer server;
  private HelloClient client;
  private ChatSession bystander; // opened before the attack, used during and after it

  @BeforeEach
  void start() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .handshakeTimeout(HANDSHAKE_TIMEOUT)
            .start();
    client = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
    bystander = client.openChat();
    bystander.send("before");
    assertThat(bystander.receive()).isEqualTo("hello:before");
  }

  @AfterEach
  void stop() {
    bystander.cancel();
    client.close();
    server.close();
    assertThat(logs.lines())
        .as("logged: hostile input is no alarm")
        .allMatch(line -> line.startsWith(GRPCS_NOTE_OF_A_BAD_CONNECTION));
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port());
    socket.setSoTimeout(CLOSED_WITHIN_MILLIS);
    return socket;
  }

  /** Writes {@code bytes}; a server that hangs up while we write has answered already. */
  private static void writeAll(Socket socket, byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException hungUp) {
      // the server closed the connection before taking it all
    }
  }

  /** Reads whatever the server says (SETTINGS, GOAWAY) until it closes the connection. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) != -1) {
        // keep reading: the end of the stream is the answer
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server left a hostile connection open for " + CLOSED_WITHIN_MILLIS + " ms", e);
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
  }

  private void assertStillServing(String word) throws Exception {
    bystander.send(word);
    assertThat(bystander.receive()).isEqualTo("hello:" + word);
    assertThat(client.hello(word)).isEqualTo("hello:" + word);
    try (HelloClient fresh = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
        ChatSession chat = fresh.openChat()) {
      chat.send(word);
      assertThat(chat.receive()).isEqualTo("hello:" + word);
    }
  }

  @Test
  void randomBytesGetTheirConnectionClosed() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Socket socket = connect()) {
        byte[] junk = new byte[64 * 1024];
        random.nextBytes(junk);
        writeAll(socket, junk);
        assertClosedByServer(socket);
      }
    }
    assertStillServing("after random bytes");
  }

  @Test
  void randomFramesAfterAValidPrefaceGetTheirConnectionClosed() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Socket socket = connect()) {
        byte[] junk = new byte[16 * 1024];
        random.nextBytes(junk);
        writeAll(socket, PREFACE.getBytes(StandardCharsets.US_ASCII));
        writeAll(socket, junk);
        assertClosedByServer(socket);
      }
    }
    assertStillServing("after random frames");
  }

  @Test
  void halfFinishedPrefacesAreClosedAtTheHandshakeTimeoutWhileOthersAreServed() throws Exception {
    byte[] cut = PREFACE.substring(0, PREFACE.length() - 2).getBytes(StandardCharsets.US_ASCII);
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = connect();
        stalled.add(socket);
        writeAll(socket, cut); // and then nothing, for as long as the server lets us
      }
      assertStillServing("while 50 handshakes hang");
      for (Socket socket : stalled) {
        assertClosedByServer(socket);
      }
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
    assertStillServing("after them");
    bystander.complete();
    assertThat(bystander.receive()).isNull();
    Waiting.until("every session is freed", () -> server.activeSessions() == 0);
  }
}
