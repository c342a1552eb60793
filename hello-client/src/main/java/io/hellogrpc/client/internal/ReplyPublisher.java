package io.hellogrpc.client.internal;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A session's replies as a {@link Flow.Publisher}: see {@code ChatFlow.replies}. */
final class ReplyPublisher implements Flow.Publisher<String> {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");

  private final RealChatSession session;

  ReplyPublisher(RealChatSession session) {
    this.session = session;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super String> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
    String refused = session.publishTo(new PublishedReplies(session, subscriber));
    if (refused == null) {
      return;
    }
    // Rule 1.9: onSubscribe before anything else, then the refusal; nothing else ever follows.
    try {
      subscriber.onSubscribe(NothingToRequest.INSTANCE);
      subscriber.onError(new IllegalStateException(refused));
    } catch (RuntimeException | Error e) {
      logger.log(Level.WARNING, "a Flow.Subscriber threw while being refused", e);
    }
  }

  /** The subscription of a subscriber that was refused: there is nothing to request or cancel. */
  private enum NothingToRequest implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
