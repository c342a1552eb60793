package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.Waiting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Null, empty, oversized and undecodable messages, from the library's client and from raw peers:
 * each gets a clear error, the server goes on serving everyone else, and nothing is logged but
 * what a test allows.
 */
@Timeout(60)
@ExtendWith(NoNettyLeaks.class)
class BadMessagesTest {
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28}; // a lead byte, then no tail
  /** grpc's own WARNING from its deframer, which refuses a message over the limit. */
  private static final String GRPCS_OVERSIZED_WARNING =
      "WARNING io.grpc.netty.shaded.io.grpc.netty.NettyServerStream:"
          + " Exception processing message [io.grpc.StatusRuntimeException: RESOURCE_EXHAUSTED:"
          + " gRPC message exceeds maximum size 1024: 2003]";

  @RegisterExtension final LogCapture logs = new LogCapture();
  private HelloServer server;
  private HelloClient bystanderClient;
  private ChatSession bystander; // opened before the bad input, used after it
  /** What the log holds once a test is done: bad input is the client's error, not the server's. */
  private List<String> expectedLog = List.of();

  private void start(HelloServer.Builder builder) throws Exception {
    server = builder.host("127.0.0.1").port(0).start();
    bystanderClient = HelloClient.builder().target("127.0.0.1:" + server.port()).build();
    bystander = bystanderClient.openChat();
    bystander.send("before");
    assertThat(bystander.receive()).isEqualTo("hello:before");
  }

  @AfterEach
  void stop() {
    bystander.cancel();
    bystanderClient.close();
    server.close();
    assertThat(logs.lines()).as("logged").isEqualTo(expectedLog);
  }

  /** The session opened before the bad input still works, and so do new calls. */
  private void assertStillServing() throws Exception {
    bystander.send("after");
    assertThat(bystander.receive()).isEqualTo("hello:after");
    assertThat(bystanderClient.hello("new call")).isEqualTo("hello:new call");
    bystander.complete();
    assertThat(bystander.receive()).isNull();
    Waiting.until("every session is freed", () -> server.activeSessions() == 0);
  }

  @Test
  void nullAndOversizedMessagesAreRefusedBeforeSendingAndTheSessionCarriesOn() throws Exception {
    start(HelloServer.builder());
    try (HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + server.port())
                .maxMessageSize(1024)
                .build();
        ChatSession chat = client.openChat()) {
      assertThatThrownBy(() -> chat.send(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("message is null");
      assertThatThrownBy(() -> chat.send("x".repeat(2000)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exceeds the limit of 1024 bytes (maxMessageSize)")
          .hasMessageContaining("it was not sent");
      assertThatThrownBy(() -> client.hello(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> client.hello("x".repeat(2000)))
          .isInstanceOf(IllegalArgumentException.class);

      chat.send(""); // empty is a message like any other: proto3 sends no bytes for it
      assertThat(chat.receive()).isEqualTo("hello:");
      chat.send("after");
      assertThat(chat.receive()).isEqualTo("hello:after");
      assertThat(chat.sentCount()).isEqualTo(2);
      assertThat(client.hello("")).isEqualTo("hello:");
    }
    assertStillServing();
  }

  @Test
  void anOversizedMessageFromARawClientFailsItsCallWithResourceExhausted() throws Exception {
    // grpc's deframer warns once per oversized message, before the library sees it.
    expectedLog = List.of(GRPCS_OVERSIZED_WARNING, GRPCS_OVERSIZED_WARNING);
    start(HelloServer.builder().maxMessageSize(1024));
    try (RawPeer raw = new RawPeer(server.port())) {
      byte[] oversized = RawPeer.message("x".repeat(2000));
      Status session = raw.open(RawPeer.CHANNEL).read(10).send(oversized).awaitEnd(Duration.ofSeconds(10));
      assertThat(session.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(session.getDescription()).contains("1024");

      Status hello =
          raw.open(RawPeer.HELLO).read(2).send(oversized).halfClose().awaitEnd(Duration.ofSeconds(10));
      assertThat(hello.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
    assertStillServing();
  }

  @Test
  void aReplyOverTheServersLimitIsNotSentAndTheSessionSaysWhy() throws Exception {
    start(HelloServer.builder().maxMessageSize(1024));
    try (ChatSession chat = bystanderClient.openChat()) {
      String justUnderTheLimit = "x".repeat(1018); // accepted; its "hello:" reply is not
      chat.send(justUnderTheLimit);
      assertThatThrownBy(chat::receive)
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
                assertThat(e.description())
                    .contains("reply of 1027 bytes exceeds the limit of 1024 bytes");
              });
      assertThatThrownBy(() -> bystanderClient.hello(justUnderTheLimit))
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED));
    }
    assertStillServing();
  }

  @Test
  void aReplyOverTheClientsLimitEndsTheSessionWithResourceExhausted() throws Exception {
    start(HelloServer.builder());
    try (HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + server.port())
                .maxMessageSize(1024)
                .build();
        ChatSession chat = client.openChat()) {
      chat.send("x".repeat(1018)); // within the client's limit; the reply is not
      assertThatThrownBy(chat::receive)
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
                assertThat(e.description()).contains("1024");
              });
    }
    assertStillServing();
  }

  @Test
  void invalidUtf8FromARawClientFailsItsCallWithInternalAndNoAlarm() throws Exception {
    start(HelloServer.builder());
    try (RawPeer raw = new RawPeer(server.port())) {
      RawPeer.Call session = raw.open(RawPeer.CHANNEL).read(10);
      session.send(RawPeer.message("fine")).send(RawPeer.message(INVALID_UTF8));
      Status status = session.awaitEnd(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.getDescription())
          .isEqualTo(
              "invalid HelloService message from the client: Protocol message had invalid UTF-8.");

      Status hello =
          raw.open(RawPeer.HELLO)
              .read(2)
              .send(RawPeer.message(INVALID_UTF8))
              .halfClose()
              .awaitEnd(Duration.ofSeconds(10));
      assertThat(hello.getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(hello.getDescription()).contains("invalid UTF-8");
    }
    assertStillServing();
  }

  @Test
  void invalidUtf8FailsAChatHandlersSessionTooAndItsHandlerHearsWhy() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> handlerSaw =
        new java.util.concurrent.CompletableFuture<>();
    start(
        HelloServer.builder()
            .onChat(
                session -> {
                  try {
                    for (String message : session.messages()) {
                      session.send("hello:" + message);
                    }
                    handlerSaw.complete(null);
                  } catch (HelloException e) {
                    handlerSaw.complete(e);
                    throw e;
                  }
                }));
    try (RawPeer raw = new RawPeer(server.port())) {
      RawPeer.Call session = raw.open(RawPeer.CHANNEL).read(10).send(RawPeer.message(INVALID_UTF8));
      Status status = session.awaitEnd(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(status.getDescription()).contains("invalid UTF-8");
    }
    assertThat(handlerSaw.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INTERNAL));
    assertStillServing();
  }

  @Test
  void invalidUtf8FromARawServerEndsTheClientsSessionWithInternal() throws Exception {
    start(HelloServer.builder());
    try (RawServer raw = RawServer.replyingWith(RawPeer.message(INVALID_UTF8));
        HelloClient client = HelloClient.builder().target("127.0.0.1:" + raw.port()).build();
        ChatSession chat = client.openChat()) {
      chat.send("x");
      assertThatThrownBy(chat::receive)
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
                assertThat(e.description())
                    .isEqualTo(
                        "invalid HelloService message from the server:"
                            + " Protocol message had invalid UTF-8.");
              });
      assertThat(chat.end()).map(ChatEnd::code).contains(StatusCode.INTERNAL);
      assertThatThrownBy(() -> client.hello("x"))
          .isInstanceOfSatisfying(
              HelloException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INTERNAL));
    }
    assertStillServing();
  }
}
