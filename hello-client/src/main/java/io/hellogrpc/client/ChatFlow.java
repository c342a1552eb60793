package io.hellogrpc.client;

import io.hellogrpc.client.internal.FlowAdapters;
import java.util.concurrent.Flow;

/**
 * A {@link ChatSession} as {@link java.util.concurrent.Flow} types, with backpressure end to end:
 * the replies as a {@link Flow.Publisher} whose subscriber's demand paces the reading from the
 * server, and a {@link Flow.Subscriber} that sends what it receives no faster than the transport
 * takes it. Both follow the Reactive Streams rules (checked by its TCK), so a reactive library's
 * own adapters (Reactor's {@code JdkFlowAdapter}, RxJava's, Mutiny's) plug in unchanged.
 *
 * <pre>{@code
 * ChatSession chat = client.openChat();
 * ChatFlow.replies(chat).subscribe(repliesSubscriber);   // demand becomes reads from the server
 * messagesPublisher.subscribe(ChatFlow.sender(chat));   // sends at the pace the transport takes
 * }</pre>
 *
 * <h2>The replies</h2>
 *
 * <p>{@link #replies} gives one subscriber the session's replies, in order. Signals run one at a
 * time on the client's callback executor, as a {@link ChatListener}'s do. {@code onNext} is called
 * only within the subscriber's demand; replies it has not asked for wait in the session's receive
 * buffer ({@code receiveBufferSize}), and the session reads from the server only as they leave
 * it, so no more than that many are ever held. Once subscribed, {@code receive}, {@code poll} and
 * {@code replies} throw {@link IllegalStateException}: the replies are the subscriber's.
 *
 * <ul>
 *   <li>Server completed ({@code OK}): {@code onComplete}, after every reply.
 *   <li>Any other end: {@code onError} with the {@link io.hellogrpc.api.HelloException} that
 *       says why, after the replies that arrived before the end; at once (they are dropped) if
 *       this side cancelled or closed the session.
 *   <li>{@link Flow.Subscription#cancel()} cancels the session ({@code CANCELLED}, "the
 *       Flow.Subscriber of the replies cancelled its subscription"); nothing more is signalled.
 *   <li>{@code request(n)} with {@code n <= 0}: {@code onError} with
 *       {@link IllegalArgumentException}, and the session is cancelled (rule 3.9).
 *   <li>A subscriber method that throws cancels the session, with the exception as the cause of
 *       its end, as a listener that throws does; nothing more is signalled to it (rule 2.13).
 *   <li>One subscriber per session: a second, or one for a session opened with a
 *       {@link ChatListener} or after {@link ChatSession#close()}, gets {@code onSubscribe} then
 *       {@code onError} with {@link IllegalStateException}, and the session carries on.
 * </ul>
 *
 * <h2>Sending</h2>
 *
 * <p>{@link #sender} sends each message it receives with {@link ChatSession#trySend}. It
 * requests one message at a time, and only when the session could take it: after each message
 * the session took, at once if the transport can take another, otherwise when
 * {@link ChatSession#whenReady} says so. It holds at most one message, one that arrived just as
 * another thread's send filled the transport. Messages go out in the order received.
 *
 * <ul>
 *   <li>{@code onComplete}: once every message received has been taken, the session's sending
 *       side completes ({@link ChatSession#complete()}); replies keep coming.
 *   <li>{@code onError}: the session is cancelled ({@code CANCELLED}, "the Flow.Publisher of the
 *       messages failed: ...", with the error as its cause); a message held is not sent.
 *   <li>Sending ends first ({@code complete()}, {@code close()}, {@code cancel()}, the session's
 *       end): the subscription is cancelled; {@link ChatSession#end()} says how the session
 *       ended.
 *   <li>A message the session refuses ({@code null} is refused by rule 2.13 with
 *       {@link NullPointerException}; one too large, or with a lone surrogate): the subscription
 *       and the session are cancelled, the session saying which message and why. Nothing is
 *       skipped silently.
 *   <li>One subscription: a second {@code onSubscribe} is cancelled (rule 2.5).
 * </ul>
 *
 * <p>Both work with sessions from {@link HelloClient#openChat()}; the sender also with ones from
 * {@link HelloClient#openChat(ChatListener)}.
 */
public final class ChatFlow {
  private ChatFlow() {}

  /**
   * The replies of {@code session} as a publisher for one subscriber.
   *
   * @param session a session from {@link HelloClient#openChat()}
   * @return a publisher of its replies
   * @throws IllegalArgumentException if the session was not opened by a {@link HelloClient}
   */
  public static Flow.Publisher<String> replies(ChatSession session) {
    return FlowAdapters.replies(session);
  }

  /**
   * A subscriber that sends on {@code session} what it receives, then completes the session's
   * sending side. Subscribe it to one publisher.
   *
   * @param session a session from a {@link HelloClient}
   * @return a subscriber that sends on it
   * @throws IllegalArgumentException if the session was not opened by a {@link HelloClient}
   */
  public static Flow.Subscriber<String> sender(ChatSession session) {
    return FlowAdapters.sender(session);
  }
}
