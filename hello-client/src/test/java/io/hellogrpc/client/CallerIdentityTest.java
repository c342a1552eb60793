package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.CertificatePrincipal;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What handlers know of the caller over Netty on 127.0.0.1: its address, its headers after a trip
 * through real HTTP/2 (binary ones base64-encoded on the wire), and under mutual TLS its
 * certificate and the principal it names.
 */
@Timeout(30)
class CallerIdentityTest {
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final List<HelloClient> clients = new ArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HelloServer server;

  @AfterEach
  void stop() {
    clients.forEach(HelloClient::close);
    if (server != null) {
      server.close();
    }
  }

  /** A server over TLS whose handlers note who called: Hello and a whole session. */
  private static HelloServer.Builder mutualTls(TestCertificates clientCa) {
    return HelloServer.builder()
        .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
        .requireClientCertificates(clientCa.stream());
  }

  private void start(HelloServer.Builder builder) throws Exception {
    server =
        builder
            .host("127.0.0.1")
            .port(0)
            .onHello(name -> Caller.principal().orElse("none"))
            .onChat(
                session -> {
                  seen.add("session principal " + session.principal().orElse("none"));
                  seen.add(
                      "session certificate "
                          + session.clientCertificate().map(ClientCertificate::subject).orElse("none"));
                  session.send(session.remoteAddress().map(a -> a.getAddress().getHostAddress()).orElse("?"));
                })
            .start();
  }

  private HelloClient client(TestCertificates certificate, TestCertificates key) {
    HelloClient client =
        HelloClient.builder()
            .target("localhost:" + server.port())
            .trustedCertificates(TestCertificates.CA.stream())
            .clientCertificate(certificate.stream(), key.stream())
            .build();
    clients.add(client);
    return client;
  }

  private HelloClient identityClient() {
    return client(TestCertificates.IDENTITY_CLIENT_CERT, TestCertificates.IDENTITY_CLIENT_KEY);
  }

  @Test
  void handlersSeeThePeersAddressAndTheHeadersAsSent() throws Exception {
    List<Object> heard = new CopyOnWriteArrayList<>();
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  InetSocketAddress peer = Caller.remoteAddress().orElseThrow();
                  heard.add(peer.getAddress().getHostAddress());
                  heard.add(peer.getPort() > 0);
                  heard.add(Caller.header("x-request-id"));
                  heard.add(Caller.binaryHeader("trace-bin").map(b -> List.of(b[0], b[1], b[2])));
                  heard.add(Caller.clientCertificate());
                  heard.add(Caller.principal());
                  return "ok";
                })
            .start();
    HelloClient client =
        HelloClient.builder()
            .target("127.0.0.1:" + server.port())
            .binaryHeader("trace-bin", new byte[] {0, -128, 127})
            .build();
    clients.add(client);

    assertThat(client.hello("x", CallSettings.builder().header("x-request-id", "r-1").build()))
        .isEqualTo("ok");
    assertThat(heard)
        .containsExactly(
            "127.0.0.1",
            true,
            Optional.of("r-1"),
            Optional.of(List.of((byte) 0, (byte) -128, (byte) 127)),
            Optional.empty(),
            Optional.empty());
  }

  @Test
  void aClientCertificateNamesThePrincipalByItsFirstDnsName() throws Exception {
    start(mutualTls(TestCertificates.IDENTITY_CA));
    HelloClient client = identityClient();

    assertThat(client.hello("x")).isEqualTo("orders.example.internal");
    try (ChatSession chat = client.openChat()) {
      assertThat(chat.receive()).isEqualTo("127.0.0.1");
    }
    assertThat(seen)
        .containsExactly(
            "session principal orders.example.internal",
            "session certificate O=Example,CN=orders");
  }

  @Test
  void handlersReadTheCertificatesSubjectAndAlternativeNames() throws Exception {
    List<ClientCertificate> certificates = new CopyOnWriteArrayList<>();
    server =
        mutualTls(TestCertificates.IDENTITY_CA)
            .host("127.0.0.1")
            .port(0)
            .onHello(
                name -> {
                  certificates.add(Caller.clientCertificate().orElseThrow());
                  return "ok";
                })
            .start();
    identityClient().hello("x");

    ClientCertificate certificate = certificates.get(0);
    assertThat(certificate.subject()).isEqualTo("O=Example,CN=orders");
    assertThat(certificate.commonName()).contains("orders");
    assertThat(certificate.dnsNames()).containsExactly("orders.example.internal", "orders");
    assertThat(certificate.uris()).containsExactly("spiffe://example.org/ns/prod/sa/orders");
    assertThat(certificate.emails()).containsExactly("orders@example.org");
    assertThat(certificate.ipAddresses()).containsExactly("10.1.2.3");
    assertThat(certificate.x509().getIssuerX500Principal().getName())
        .isEqualTo("CN=hello-grpc identity test CA");
  }

  @Test
  void withoutADnsNameTheUriNamesThePrincipalAndWithoutEitherTheCommonName() throws Exception {
    start(mutualTls(TestCertificates.IDENTITY_CA));
    assertThat(
            client(
                    TestCertificates.IDENTITY_URI_CLIENT_CERT,
                    TestCertificates.IDENTITY_URI_CLIENT_KEY)
                .hello("x"))
        .isEqualTo("spiffe://example.org/ns/prod/sa/billing");
    server.close();
    clients.forEach(HelloClient::close);
    clients.clear();

    start(mutualTls(TestCertificates.CA));
    assertThat(client(TestCertificates.CLIENT_CERT, TestCertificates.CLIENT_KEY).hello("x"))
        .isEqualTo("hello-grpc test client");
  }

  @Test
  void aMapperChoosesThePrincipalOrRefusesTheCall() throws Exception {
    CertificatePrincipal spiffeOnly =
        certificate -> {
          if (certificate.commonName().orElse("").equals("billing")) {
            throw new HelloException(StatusCode.PERMISSION_DENIED, "billing may not say hello");
          }
          return certificate.uris().stream()
              .filter(uri -> uri.startsWith("spiffe://example.org/"))
              .findFirst()
              .orElse(null);
        };
    start(mutualTls(TestCertificates.IDENTITY_CA).clientCertificatePrincipal(spiffeOnly));

    assertThat(identityClient().hello("x")).isEqualTo("spiffe://example.org/ns/prod/sa/orders");
    assertThatThrownBy(
            () ->
                client(
                        TestCertificates.IDENTITY_URI_CLIENT_CERT,
                        TestCertificates.IDENTITY_URI_CLIENT_KEY)
                    .hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.PERMISSION_DENIED);
              assertThat(e.description()).isEqualTo("billing may not say hello");
            });
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  @Test
  void aCertificateThatNamesNoPrincipalIsRefusedAndAFailingMapperIsLogged() throws Exception {
    start(
        mutualTls(TestCertificates.IDENTITY_CA)
            .clientCertificatePrincipal(
                certificate -> {
                  if (certificate.dnsNames().isEmpty()) {
                    return null;
                  }
                  throw new IllegalStateException("directory down");
                }));

    assertThatThrownBy(
            () ->
                client(
                        TestCertificates.IDENTITY_URI_CLIENT_CERT,
                        TestCertificates.IDENTITY_URI_CLIENT_KEY)
                    .hello("x"))
        .isInstanceOfSatisfying(
            HelloException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED);
              assertThat(e.description())
                  .isEqualTo("the client certificate 'CN=billing' names no principal");
            });
    try (ChatSession chat = identityClient().openChat()) {
      assertThatThrownBy(chat::receive)
          .isInstanceOfSatisfying(
              HelloException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
                assertThat(e.description())
                    .isEqualTo(
                        "the server could not map the client certificate to a principal; the"
                            + " server logged why");
              });
    }
    assertThat(seen).as("no handler ran").isEmpty();
    assertThat(logs.atOrAbove(Level.WARNING))
        .singleElement()
        .asString()
        .contains("the CertificatePrincipal threw; the call fails with INTERNAL")
        .contains("directory down");
  }

  @Test
  void withATokenAsWellTheTokenNamesThePrincipalAndTheCertificateStaysVisible() throws Exception {
    start(mutualTls(TestCertificates.IDENTITY_CA).requireToken(token -> "user-" + token));
    HelloClient client =
        HelloClient.builder()
            .target("localhost:" + server.port())
            .trustedCertificates(TestCertificates.CA.stream())
            .clientCertificate(
                TestCertificates.IDENTITY_CLIENT_CERT.stream(),
                TestCertificates.IDENTITY_CLIENT_KEY.stream())
            .token("alice")
            .build();
    clients.add(client);

    assertThat(client.hello("x")).isEqualTo("user-alice");
    try (ChatSession chat = client.openChat()) {
      assertThat(chat.receive()).isEqualTo("127.0.0.1");
    }
    assertThat(seen)
        .containsExactly(
            "session principal user-alice", "session certificate O=Example,CN=orders");
  }

  @Test
  void aCertificateMapperNeedsMutualTlsAndNoToken() {
    CertificatePrincipal mapper = certificate -> "x";
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .port(0)
                    .tls(TestCertificates.SERVER_CERT.stream(), TestCertificates.SERVER_KEY.stream())
                    .clientCertificatePrincipal(mapper)
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "clientCertificatePrincipal(...) needs requireClientCertificates(...): without mutual"
                + " TLS no certificate names the caller");
    assertThatThrownBy(
            () ->
                mutualTls(TestCertificates.IDENTITY_CA)
                    .port(0)
                    .clientCertificatePrincipal(mapper)
                    .requireToken("t")
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "clientCertificatePrincipal(...) and requireToken(...) both name the caller's"
                + " principal, and the token's would win: set one");
  }
}
