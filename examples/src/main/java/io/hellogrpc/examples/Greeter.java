package io.hellogrpc.examples;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Application code that uses a {@link HelloClient}, as README "Testing your application" tests it
 * ({@code GreeterTest}): it greets through the service, and greets locally while the service is
 * down instead of failing.
 */
public final class Greeter {
  private final HelloClient client;

  public Greeter(HelloClient client) {
    this.client = client;
  }

  /** The service's greeting; a local one while the service is unavailable. */
  public String greet(String name) {
    try {
      return client.hello(name);
    } catch (HelloException e) {
      if (e.code() == StatusCode.UNAVAILABLE) {
        return "hello, " + name + " (offline)";
      }
      throw e;
    }
  }

  /** Sends the lines over one session and returns the replies, in order. */
  public List<String> chat(List<String> lines) throws InterruptedException {
    try (ChatSession chat = client.openChat()) {
      for (String line : lines) {
        chat.send(line);
      }
      chat.complete();
      List<String> replies = new ArrayList<>();
      for (String reply : chat.replies()) { // throws HelloException if the session fails
        replies.add(reply);
      }
      return replies;
    }
  }
}
