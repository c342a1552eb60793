package io.hellogrpc.client;

import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A server and a client joined by the in-process transport; closing stops both. */
final class InProcessPair implements AutoCloseable {
  final String name; // the server's in-process name, for more clients
  final HelloServer server;
  final HelloClient client;

  private InProcessPair(String name, HelloServer server, HelloClient client) {
    this.name = name;
    this.server = server;
    this.client = client;
  }

  static InProcessPair start(HelloServer.Builder server) throws IOException {
    return start(server, client -> client);
  }

  static InProcessPair start(
      HelloServer.Builder server, UnaryOperator<HelloClient.Builder> client) throws IOException {
    String name = "pair-" + UUID.randomUUID();
    HelloServer started = server.inProcess(name).start();
    return new InProcessPair(
        name, started, client.apply(HelloClient.builder().inProcess(name)).build());
  }

  @Override
  public void close() {
    server.shutdownNow();
    client.close();
    try {
      if (!server.awaitTermination(Duration.ofSeconds(5))) {
        throw new AssertionError("the server did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while the server stopped", e);
    }
  }
}
