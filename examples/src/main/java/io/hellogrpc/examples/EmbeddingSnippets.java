package io.hellogrpc.examples;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.ChatListener;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;

/**
 * The README's other "Embedding" snippets, each here as the README shows it (ReadmeTest keeps the
 * two the same text), so that they compile: in this build, and in it/consumer against the
 * installed artifacts. Nothing calls them.
 */
final class EmbeddingSnippets {
  private EmbeddingSnippets() {}

  static ChatSession pushedReplies(HelloClient client) {
    ChatSession chat = client.openChat(new ChatListener() {
      @Override public void onMessage(ChatSession session, String reply) { System.out.println(reply); }
      @Override public void onCompleted(ChatSession session) { System.out.println("done"); }
      @Override public void onError(ChatSession session, HelloException e) { System.out.println(e.code()); }
    });
    return chat;
  }

  static void wholeSessions() throws IOException {
    HelloServer.builder().port(1234).onChat(session -> {
      for (String message : session.messages()) {   // until the client completes
        session.send("hello:" + message);
        session.send("and again:" + message);
      }
    }).start();                                       // returning completes the session
  }

  /** A program that only serves. */
  static final class Serving {
    private Serving() {}

    public static void main(String[] args) throws Exception {
      HelloServer server = HelloServer.builder().port(1234).start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // Ctrl-C, SIGTERM: drain
      System.out.println("listening on port " + server.port());
      server.awaitTermination();                                       // without it, main returns
    }                                                                  // and the JVM exits at once
  }
}
