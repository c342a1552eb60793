package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.server.Caller;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request headers from the client's builder and from CallSettings, as handlers read them. */
@Timeout(30)
class HeadersTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private InProcessPair pair;

  @AfterEach
  void stop() throws InterruptedException {
    if (pair != null) {
      pair.close();
    }
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  /** A server whose Hello answers with the headers it saw, and whose sessions send theirs. */
  private static HelloServer.Builder echoingHeaders() {
    return HelloServer.builder()
        .onHello(name -> name + " " + Caller.headers())
        .onChat(
            session -> {
              session.send("tenant=" + session.header("x-tenant").orElse("-"));
              session.send("request=" + session.header("x-request-id").orElse("-"));
              session.send(
                  "trace=" + session.binaryHeader("trace-bin").map(HeadersTest::hex).orElse("-"));
            });
  }

  private static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  private static List<String> replies(ChatSession chat) throws InterruptedException {
    List<String> replies = new java.util.ArrayList<>();
    for (String reply = chat.receive(); reply != null; reply = chat.receive()) {
      replies.add(reply);
    }
    return replies;
  }

  @Test
  void theClientsHeadersGoWithEveryCallAndSession() throws Exception {
    pair =
        InProcessPair.start(
            echoingHeaders(),
            c -> c.header("x-tenant", "acme").binaryHeader("trace-bin", new byte[] {0, 1, -1}));

    assertThat(pair.client.hello("hi")).startsWith("hi {").contains("x-tenant=acme");
    assertThat(pair.client.helloAsync("async").get(10, TimeUnit.SECONDS))
        .contains("x-tenant=acme");
    try (ChatSession chat = pair.client.openChat()) {
      chat.complete();
      assertThat(replies(chat)).containsExactly("tenant=acme", "request=-", "trace=0001ff");
    }
  }

  @Test
  void callSettingsAddHeadersAndReplaceTheClientsOfTheSameName() throws Exception {
    pair = InProcessPair.start(echoingHeaders(), c -> c.header("x-tenant", "acme"));
    CallSettings settings =
        CallSettings.builder().header("x-request-id", "r-42").header("x-tenant", "globex").build();

    assertThat(pair.client.hello("hi", settings))
        .contains("x-request-id=r-42")
        .contains("x-tenant=globex")
        .doesNotContain("acme");
    assertThat(pair.client.helloAsync("hi", settings).get(10, TimeUnit.SECONDS))
        .contains("x-request-id=r-42");
    assertThat(pair.client.hello("plain")).contains("x-tenant=acme").doesNotContain("r-42");
    try (ChatSession chat = pair.client.openChat(settings)) {
      chat.complete();
      assertThat(replies(chat)).containsExactly("tenant=globex", "request=r-42", "trace=-");
    }
    CompletableFuture<List<String>> heard = new CompletableFuture<>();
    List<String> received = new CopyOnWriteArrayList<>();
    try (ChatSession chat =
        pair.client.openChat(
            CallSettings.builder().header("x-request-id", "r-43").build(),
            new ChatListener() {
              @Override
              public void onMessage(ChatSession session, String message) {
                received.add(message);
              }

              @Override
              public void onCompleted(ChatSession session) {
                heard.complete(received);
              }
            })) {
      chat.complete();
      assertThat(heard.get(10, TimeUnit.SECONDS))
          .containsExactly("tenant=acme", "request=r-43", "trace=-");
    }
  }

  @Test
  void handlersSeeNeitherCredentialsNorGrpcsOwnHeadersButDoSeeTheUserAgent() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .requireToken("s3cret")
                .onHello(
                    name ->
                        Caller.headers().keySet()
                            + " authorization="
                            + Caller.header("authorization").orElse("hidden")
                            + " principal="
                            + Caller.principal().orElse("-")),
            c -> c.token("s3cret").header("x-tenant", "acme"));

    String seen = pair.client.hello("x");
    assertThat(seen).contains("x-tenant", "user-agent", "authorization=hidden", "principal=token");
    assertThat(seen).doesNotContain("grpc-", "content-type", "te,");
  }

  @Test
  void aChannelHandlerReadsTheSessionsHeadersThroughCaller() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onChannel(m -> m + "@" + Caller.header("x-tenant").orElse("-")),
            c -> c.header("x-tenant", "acme"));
    try (ChatSession chat = pair.client.openChat()) {
      chat.send("a");
      chat.send("b");
      chat.complete();
      assertThat(replies(chat)).containsExactly("a@acme", "b@acme");
    }
  }

  @Test
  void headerNamesAreCaseInsensitiveOnTheServerAndTheKindMustMatch() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name -> {
                      seen.add(Caller.header("X-Tenant"));
                      seen.add(Caller.header("x-absent"));
                      seen.add(Caller.binaryHeader("blob-bin").map(b -> new String(b, StandardCharsets.UTF_8)));
                      try {
                        Caller.header("blob-bin");
                      } catch (IllegalArgumentException e) {
                        seen.add(e.getMessage());
                      }
                      try {
                        Caller.binaryHeader("x-tenant");
                      } catch (IllegalArgumentException e) {
                        seen.add(e.getMessage());
                      }
                      return "ok";
                    }),
            c ->
                c.header("x-tenant", "acme")
                    .binaryHeader("blob-bin", "é".getBytes(StandardCharsets.UTF_8)));

    assertThat(pair.client.hello("x")).isEqualTo("ok");
    assertThat(seen)
        .containsExactly(
            Optional.of("acme"),
            Optional.empty(),
            Optional.of("é"),
            "header 'blob-bin' is binary (its name ends in -bin): read it with binaryHeader(name)",
            "header 'x-tenant' is not binary (its name does not end in -bin): read it with"
                + " header(name)");
  }

  @Test
  void outsideAHandlerCallerHasNothingToSay() {
    assertThat(Caller.principal()).isEmpty();
    assertThat(Caller.header("x-tenant")).isEmpty();
    assertThat(Caller.binaryHeader("x-bin")).isEmpty();
    assertThat(Caller.headers()).isEmpty();
    assertThat(Caller.remoteAddress()).isEmpty();
    assertThat(Caller.clientCertificate()).isEmpty();
  }

  @Test
  void inProcessThereIsNoRemoteAddressNorCertificate() throws Exception {
    pair =
        InProcessPair.start(
            HelloServer.builder()
                .onHello(
                    name ->
                        Caller.remoteAddress() + " " + Caller.clientCertificate() + " "
                            + Caller.principal()));
    assertThat(pair.client.hello("x"))
        .isEqualTo("Optional.empty Optional.empty Optional.empty");
  }

  @Test
  void malformedAndReservedHeadersAreRefusedAtTheSetterNamingThem() {
    HelloClient.Builder client = HelloClient.builder();
    CallSettings.Builder call = CallSettings.builder();
    Map<String, String> refusals =
        Map.ofEntries(
            Map.entry(
                "X-Request-Id",
                "header name 'X-Request-Id' has uppercase letters: HTTP/2 header names are"
                    + " lowercase; use 'x-request-id'"),
            Map.entry(
                "x request",
                "header name 'x request' has ' ' at index 1: a header name has only a-z, 0-9,"
                    + " '-', '_' and '.'"),
            Map.entry(
                "x-é",
                "header name 'x-é' has the character U+00E9 at index 2: a header name has only"
                    + " a-z, 0-9, '-', '_' and '.'"),
            Map.entry("", "a header name must not be empty"),
            Map.entry(
                ":path", "header ':path' is an HTTP/2 pseudo-header: grpc sets those itself"),
            Map.entry(
                "grpc-timeout",
                "header 'grpc-timeout' is reserved: names starting grpc- belong to gRPC itself"),
            Map.entry(
                "te", "header 'te' is reserved: HTTP/2 and gRPC set it themselves, or forbid it"),
            Map.entry(
                "content-type",
                "header 'content-type' is reserved: HTTP/2 and gRPC set it themselves, or forbid"
                    + " it"),
            Map.entry(
                "connection",
                "header 'connection' is reserved: HTTP/2 and gRPC set it themselves, or forbid"
                    + " it"),
            Map.entry(
                "user-agent",
                "header 'user-agent' is reserved: grpc sends its own user-agent and would drop"
                    + " this one"),
            Map.entry(
                "authorization",
                "header 'authorization' is reserved: set credentials with token(...), which"
                    + " sends them over TLS only"),
            Map.entry(
                "trace-bin",
                "header 'trace-bin' is binary (its name ends in -bin): set it with"
                    + " binaryHeader(name, bytes)"));
    refusals.forEach(
        (name, message) -> {
          assertThatThrownBy(() -> client.header(name, "v")).as(name).hasMessage(message);
          assertThatThrownBy(() -> call.header(name, "v")).as(name).hasMessage(message);
        });

    assertThatThrownBy(() -> client.header("x-id", "line\r\nx-forged: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "header 'x-id' has the control character U+000D at index 4: a header value is"
                + " visible ASCII and spaces; send other bytes in a binary header (a name ending"
                + " in -bin)");
    assertThatThrownBy(() -> call.header("x-name", "José"))
        .hasMessageStartingWith("header 'x-name' has the non-ASCII character U+00E9 at index 3");
    assertThatThrownBy(() -> client.binaryHeader("trace", new byte[1]))
        .hasMessage(
            "binary header 'trace' needs a name ending in -bin, such as 'trace-bin' (gRPC"
                + " base64-encodes those on the wire)");
    assertThatThrownBy(() -> call.binaryHeader("grpc-trace-bin", new byte[1]))
        .hasMessageContaining("is reserved");
    assertThatThrownBy(() -> client.header("x-id", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value of header 'x-id'");
    assertThatThrownBy(() -> client.header(null, "v")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aBinaryHeaderIsCopiedWhenSet() throws Exception {
    byte[] trace = {1, 2, 3};
    pair = InProcessPair.start(echoingHeaders(), c -> c.binaryHeader("trace-bin", trace));
    trace[0] = 9; // too late: the builder kept its own copy
    try (ChatSession chat = pair.client.openChat()) {
      chat.complete();
      assertThat(replies(chat)).contains("trace=010203");
    }
  }
}
