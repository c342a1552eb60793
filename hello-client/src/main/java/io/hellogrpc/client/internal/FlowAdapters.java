package io.hellogrpc.client.internal;

import io.hellogrpc.client.ChatSession;
import java.util.Objects;
import java.util.concurrent.Flow;

/** What {@code ChatFlow} builds its adapters from. */
public final class FlowAdapters {
  private FlowAdapters() {}

  public static Flow.Publisher<String> replies(ChatSession session) {
    return new ReplyPublisher(real(session));
  }

  public static Flow.Subscriber<String> sender(ChatSession session) {
    return new SendingSubscriber(real(session));
  }

  private static RealChatSession real(ChatSession session) {
    Objects.requireNonNull(session, "session");
    if (!(session instanceof RealChatSession real)) {
      throw new IllegalArgumentException(
          "ChatFlow adapts sessions opened by HelloClient.openChat(): "
              + session.getClass().getName() + " is not one");
    }
    return real;
  }
}
