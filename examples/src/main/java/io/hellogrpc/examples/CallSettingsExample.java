package io.hellogrpc.examples;

import io.hellogrpc.client.CallSettings;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.time.Duration;

/** The per-call settings example of the README, kept compiling and running here. */
public final class CallSettingsExample {
  private CallSettingsExample() {}

  public static void main(String[] args) throws Exception {
    try (HelloServer server = HelloServer.builder().host("127.0.0.1").port(0).start();
        HelloClient client =
            HelloClient.builder()
                .target("127.0.0.1:" + server.port())
                .helloDeadline(Duration.ofSeconds(10)) // the client's defaults...
                .chatIdleTimeout(Duration.ofMinutes(5))
                .build()) {
      System.out.println(client.hello("quick", Duration.ofSeconds(2))); // hello:quick
      CallSettings batch =
          CallSettings.builder()
              .deadline(Duration.ofMinutes(30)) // ...replaced for one session
              .idleTimeout(Duration.ofMinutes(1))
              .header("x-request-id", "batch-7")
              .build();
      try (ChatSession chat = client.openChat(batch)) {
        chat.send("row 1");
        System.out.println(chat.receive()); // hello:row 1
        chat.complete();
      }
    }
  }
}
