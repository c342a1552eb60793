package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server command in its own JVM, stopped the way an operator stops it: SIGTERM. */
@Timeout(60)
class ServerProcessTest {
  /** A running server process, its output, and the port it said it listens on. */
  private record Running(Process process, BufferedReader output, String port)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      output.close();
      process.destroyForcibly();
    }
  }

  /**
   * Starts the server command; whatever happens next, the process is stopped: a test that fails
   * here must not leave a server JVM behind.
   */
  private static Running startServer(String... options) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                // As the examples jar's manifest does: Netty's native transport, JEP 472.
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--port",
                "0",
                "--host",
                "127.0.0.1"));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = String.valueOf(output.readLine());
      Matcher listening = Pattern.compile("HelloService listening on port (\\d+)").matcher(first);
      assertThat(listening.matches()).as("the server's first line: " + first).isTrue();
      return new Running(process, output, listening.group(1));
    } catch (Throwable failed) {
      process.destroyForcibly();
      throw failed;
    }
  }

  /**
   * SIGTERM, and unlike Process.destroy() keeps our pipe open to read what it says.
   *
   * @return every line the server printed after the one saying where it listens
   */
  private static List<String> assertDrainsOnSigterm(Running server) throws Exception {
    server.process().toHandle().destroy();
    assertThat(server.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    List<String> rest = new ArrayList<>();
    for (String line = server.output().readLine(); line != null; line = server.output().readLine()) {
      rest.add(line);
    }
    assertThat(rest)
        .containsSubsequence("shutting down: refusing new calls, draining open sessions", "stopped");
    return rest;
  }

  @Test
  void logsEachCallersAddressPrincipalAndRequestId(@TempDir Path dir) throws Exception {
    String ca = TestCertificates.CA.copyTo(dir).toString();
    try (Running server = startServer("--log-callers")) {
      Captured client =
          Captured.run(
              "client", "--target", "127.0.0.1:" + server.port(), "--messages", "10",
              "--header", "x-request-id=r-7");
      assertThat(client.exitCode()).as(client.err()).isZero();
      assertThat(client.out()).contains("sent 10, received 10, all in order");
      assertThat(assertDrainsOnSigterm(server))
          .filteredOn(line -> line.startsWith("call "))
          .hasSize(2)
          .satisfiesExactly(
              hello ->
                  assertThat(hello)
                      .matches("call Hello from 127\\.0\\.0\\.1:\\d+ principal=- x-request-id=r-7"),
              channel ->
                  assertThat(channel)
                      .matches(
                          "call Channel from 127\\.0\\.0\\.1:\\d+ principal=- x-request-id=r-7"));
    }
    try (Running server =
        startServer(
            "--log-callers",
            "--tls-cert", TestCertificates.SERVER_CERT.copyTo(dir).toString(),
            "--tls-key", TestCertificates.SERVER_KEY.copyTo(dir).toString(),
            "--client-ca", ca)) {
      Captured client =
          Captured.run(
              "client", "--target", "localhost:" + server.port(), "--messages", "1",
              "--tls-ca", ca,
              "--tls-cert", TestCertificates.CLIENT_CERT.copyTo(dir).toString(),
              "--tls-key", TestCertificates.CLIENT_KEY.copyTo(dir).toString());
      assertThat(client.exitCode()).as(client.err()).isZero();
      assertThat(assertDrainsOnSigterm(server))
          .filteredOn(line -> line.startsWith("call "))
          .allSatisfy(
              line ->
                  assertThat(line)
                      .as("the client certificate's common name")
                      .endsWith(" principal=hello-grpc test client"))
          .hasSize(2);
    }
  }

  @Test
  void servesTheClientThenDrainsOnSigterm() throws Exception {
    try (Running server = startServer()) {
      Captured client =
          Captured.run("client", "--target", "127.0.0.1:" + server.port(), "--messages", "1000");
      assertThat(client.exitCode()).isZero();
      assertThat(client.out()).contains("sent 1000, received 1000, all in order");
      assertDrainsOnSigterm(server);
    }
  }

  @Test
  void servesMutualTlsWithATokenAndReflection(@TempDir Path dir) throws Exception {
    String ca = TestCertificates.CA.copyTo(dir).toString();
    String cert = TestCertificates.CLIENT_CERT.copyTo(dir).toString();
    String key = TestCertificates.CLIENT_KEY.copyTo(dir).toString();
    try (Running server =
        startServer(
            "--tls-cert", TestCertificates.SERVER_CERT.copyTo(dir).toString(),
            "--tls-key", TestCertificates.SERVER_KEY.copyTo(dir).toString(),
            "--client-ca", ca, "--token", "s3cret", "--reflection")) {
      Captured client =
          Captured.run(
              "client", "--target", "localhost:" + server.port(), "--messages", "100",
              "--tls-ca", ca, "--tls-cert", cert, "--tls-key", key, "--token", "s3cret");
      assertThat(client.exitCode()).as(client.err()).isZero();
      assertThat(client.out()).contains("sent 100, received 100, all in order");

      assertThat(listServices(server.port(), dir)).contains("hello.v1.HelloService");
      assertDrainsOnSigterm(server);
    }
  }

  /** What server reflection lists, as grpcurl's "list" asks it (reflection needs no token). */
  private static List<String> listServices(String port, Path dir) throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilder(
                "localhost:" + port,
                TlsChannelCredentials.newBuilder()
                    .trustManager(TestCertificates.CA.copyTo(dir).toFile())
                    .keyManager(
                        TestCertificates.CLIENT_CERT.copyTo(dir).toFile(),
                        TestCertificates.CLIENT_KEY.copyTo(dir).toFile())
                    .build())
            .build();
    try {
      CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(channel)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                      answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                      answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      requests.onCompleted();
      return answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
          .map(ServiceResponse::getName)
          .toList();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
