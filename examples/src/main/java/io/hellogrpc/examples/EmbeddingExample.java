package io.hellogrpc.examples;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;

/** The embedding example of the README, kept compiling and running here. */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) throws Exception {
    try (HelloServer server =
            HelloServer.builder()
                .port(0) // any free port
                .onHello(name -> "hello:" + name) // the defaults, spelled out
                .onChannel(message -> "hello:" + message)
                .start();
        HelloClient client =
            HelloClient.builder().target("localhost:" + server.port()).build();
        ChatSession chat = client.openChat()) {
      System.out.println(client.hello("Hello Service")); // hello:Hello Service
      chat.send("Hello server"); // blocks while the transport is not ready
      System.out.println(chat.receive()); // hello:Hello server
      chat.complete(); // no more sends; replies still arrive
      System.out.println(chat.receive()); // null: the server completed too
    }
  }
}
