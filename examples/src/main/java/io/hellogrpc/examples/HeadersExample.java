package io.hellogrpc.examples;

import io.hellogrpc.client.CallSettings;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.HelloServer;

/** The request headers example of the README, kept compiling and running here. */
public final class HeadersExample {
  private HeadersExample() {}

  public static void main(String[] args) throws Exception {
    try (HelloServer server =
            HelloServer.builder()
                .host("127.0.0.1")
                .port(0)
                .onHello(
                    name ->
                        "hello:" + name
                            + " (tenant " + Caller.header("x-tenant").orElse("?")
                            + ", request " + Caller.header("x-request-id").orElse("-")
                            + ", from " + Caller.remoteAddress().orElseThrow().getHostString() + ")")
                .onChat(
                    session -> {
                      String tenant = session.header("x-tenant").orElse("?");
                      for (String message : session.messages()) {
                        session.send(tenant + ":" + message);
                      }
                    })
                .start();
        HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + server.port())
                .header("x-tenant", "acme") // sent with every call and session
                .build()) {
      CallSettings call = CallSettings.builder().header("x-request-id", "r-42").build();
      System.out.println(client.hello("you", call)); // hello:you (tenant acme, request r-42, from 127.0.0.1)
      try (ChatSession chat = client.openChat()) {
        chat.send("hi");
        System.out.println(chat.receive()); // acme:hi
        chat.complete();
      }
    }
  }
}
