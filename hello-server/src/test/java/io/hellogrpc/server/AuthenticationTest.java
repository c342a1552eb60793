package io.hellogrpc.server;

import static io.hellogrpc.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** requireToken: who may call, and how handlers learn who did. */
@Timeout(30)
class AuthenticationTest {
  private final String name = "auth-" + UUID.randomUUID();
  private final List<String> handled = new CopyOnWriteArrayList<>();
  private HelloServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(java.time.Duration.ofSeconds(5))).isTrue();
    }
  }

  private void start(HelloServer.Builder builder) throws IOException {
    server =
        builder
            .inProcess(name)
            .onHello(
                who -> {
                  handled.add("hello " + who + " from " + Caller.principal().orElse("nobody"));
                  return "hello:" + who;
                })
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private HelloServiceGrpc.HelloServiceBlockingStub stub(String authorization) {
    return withAuthorization(HelloServiceGrpc.newBlockingStub(channel), authorization);
  }

  /** {@code stub} sending {@code authorization} as its authorization header; none if null. */
  private static <S extends AbstractStub<S>> S withAuthorization(S stub, String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    }
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static void assertRefused(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(description);
            });
  }

  @Test
  void aStaticTokenLetsInOnlyCallsThatCarryIt() throws IOException {
    start(HelloServer.builder().requireToken("s3cret-token"));

    assertRefused(
        () -> stub(null).hello(text("anon")),
        Status.Code.UNAUTHENTICATED,
        "missing bearer token: send the header 'authorization: Bearer <token>'");
    assertRefused(
        () -> stub("Bearer wrong-token").hello(text("mallory")),
        Status.Code.UNAUTHENTICATED,
        "invalid bearer token");
    assertRefused(
        () -> stub("Basic czNjcmV0LXRva2Vu").hello(text("basic")),
        Status.Code.UNAUTHENTICATED,
        "missing bearer token: send the header 'authorization: Bearer <token>'");
    assertThat(stub("Bearer s3cret-token").hello(text("alice")).getValue())
        .isEqualTo("hello:alice");
    assertThat(stub("bearer s3cret-token").hello(text("bob")).getValue()).isEqualTo("hello:bob");

    assertThat(handled).containsExactly("hello alice from token", "hello bob from token");
  }

  @Test
  void anAuthenticatorMapsTokensToPrincipalsThatHandlersSee() throws Exception {
    Map<String, String> users = Map.of("t-alice", "alice", "t-bob", "bob");
    List<Optional<String>> sessionPrincipals = new CopyOnWriteArrayList<>();
    start(
        HelloServer.builder()
            .requireToken(users::get)
            .onChat(
                session -> {
                  sessionPrincipals.add(session.principal());
                  session.send("you are " + Caller.principal().orElse("?"));
                }));

    assertThat(stub("Bearer t-alice").hello(text("a")).getValue()).isEqualTo("hello:a");
    assertThat(stub("Bearer t-bob").hello(text("b")).getValue()).isEqualTo("hello:b");
    assertRefused(
        () -> stub("Bearer t-eve").hello(text("e")),
        Status.Code.UNAUTHENTICATED,
        "invalid bearer token");
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        withAuthorization(HelloServiceGrpc.newStub(channel), "Bearer t-bob").channel(replies);
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    requests.onCompleted();

    assertThat(handled).containsExactly("hello a from alice", "hello b from bob");
    assertThat(replies.values).containsExactly("you are bob");
    assertThat(sessionPrincipals).containsExactly(Optional.of("bob"));
  }

  @Test
  void channelHandlersSeeThePrincipalToo() throws Exception {
    start(HelloServer.builder().requireToken(token -> "user-" + token).onChannel(
        message -> message + " from " + Caller.principal().orElse("?")));
    Replies replies = new Replies();
    StreamObserver<io.hellogrpc.api.proto.String> requests =
        withAuthorization(HelloServiceGrpc.newStub(channel), "Bearer 7").channel(replies);
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onCompleted();
    assertThat(replies.done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(replies.values).containsExactly("a from user-7", "b from user-7");
  }

  @Test
  void anAuthenticatorChoosesAnotherStatusWithHelloException() throws IOException {
    start(
        HelloServer.builder()
            .requireToken(
                token -> {
                  throw new HelloException(StatusCode.PERMISSION_DENIED, "token revoked");
                }));
    assertRefused(
        () -> stub("Bearer anything").hello(text("x")),
        Status.Code.PERMISSION_DENIED,
        "token revoked");
    assertThat(handled).isEmpty();
  }

  @Test
  void anAuthenticatorThatFailsRefusesWithInternalLogsWhyOnceAndRunsNoHandler() throws IOException {
    try (LogCapture logs = LogCapture.start()) {
      start(
          HelloServer.builder()
              .requireToken(
                  token -> {
                    throw new IllegalStateException("key store down\nWARNING: forged line");
                  }));
      assertRefused(
          () -> stub("Bearer anything").hello(text("x")),
          Status.Code.INTERNAL,
          "the server could not check the token (its authenticator failed); the server logged why");
      assertThat(handled).isEmpty();
      assertThat(logs.atOrAbove(Level.WARNING))
          .containsExactly(
              "WARNING io.hellogrpc.server: the TokenAuthenticator threw; the call fails with"
                  + " INTERNAL and no handler runs [java.lang.IllegalStateException: key store"
                  + " down\\nWARNING: forged line]");
    }
  }

  @Test
  void withoutATokenRequirementThereIsNoPrincipal() throws IOException {
    start(HelloServer.builder());
    assertThat(stub("Bearer ignored").hello(text("x")).getValue()).isEqualTo("hello:x");
    assertThat(handled).containsExactly("hello x from nobody");
    assertThat(Caller.principal()).isEmpty(); // and none outside a handler
  }

  @Test
  void healthNeedsNoToken() throws IOException {
    start(HelloServer.builder().requireToken("s3cret-token"));
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }
}
