package io.hellogrpc.reliability;

import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link HelloClient} in a JVM of its own, for the test that kills a client mid-session. Opens
 * {@code --sessions N} sessions to {@code --target HOST:PORT}, each sending and reading as fast as
 * it can on two threads of its own, prints {@code flowing} once every session had a reply, and
 * goes on until it is killed or its stdin closes.
 */
public final class ClientMain {
  private ClientMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = ServerMain.options(args);
    int sessions = Integer.parseInt(options.getOrDefault("sessions", "1"));
    HelloClient client = HelloClient.builder().target(options.get("target")).build();
    List<ChatSession> chats = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      ChatSession chat = client.openChat();
      chat.send("first");
      if (chat.receive() == null) {
        throw new IllegalStateException("session " + s + " ended before its first reply");
      }
      chats.add(chat);
    }
    for (ChatSession chat : chats) {
      daemon(
          () -> {
            for (long i = 0; ; i++) {
              chat.send(Long.toString(i));
            }
          });
      daemon(
          () -> {
            while (chat.receive() != null) {
              // keep replies flowing
            }
          });
    }
    System.out.println("flowing");
    InputStream stdin = System.in;
    while (stdin.read() != -1) {
      // run until the test closes our stdin, if it does not kill us first
    }
    client.close();
  }

  private interface Loop {
    void run() throws Exception;
  }

  private static void daemon(Loop loop) {
    Thread thread =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (Exception e) {
                System.err.println("session ended: " + e);
              }
            });
    thread.setDaemon(true);
    thread.start();
  }
}
