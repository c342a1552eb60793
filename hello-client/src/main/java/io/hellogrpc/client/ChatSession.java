package io.hellogrpc.client;

import io.hellogrpc.api.ChatEnd;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code Channel} stream: messages go out with {@link #send}, replies come back in order
 * through {@link #receive}, {@link #poll}, {@link #replies} or a {@link ChatListener}. Open one
 * with {@link HelloClient#openChat()}; opening never blocks, and a server that cannot be reached
 * shows at the first {@code send} or {@code receive}, or in {@link #end()}.
 *
 * <h2>Lifecycle</h2>
 *
 * <ul>
 *   <li><b>Open.</b> {@code send} blocks while the transport cannot take more (HTTP/2 flow
 *       control); the session learns that from the transport after each message, so the first
 *       message goes out before the stream is known to be ready. Replies are buffered, at most the
 *       client's {@code receiveBufferSize} of them; while the buffer is full the session stops
 *       reading and the server is pushed back. No thread is held per session.
 *   <li><b>Half-closed</b>, after {@link #complete()}: no more sends ({@code send} and
 *       {@code trySend} throw {@link IllegalStateException}, a {@code send} blocked at that moment
 *       wakes and throws it: its message was not sent; waiting {@link #whenReady} tasks run);
 *       every message already sent is still delivered, and replies keep arriving until the server
 *       ends the session.
 *   <li><b>Closing</b>, after {@link #close()}: half-closed, and replies not read yet are discarded
 *       so the server can finish; {@code receive}, {@code poll} and {@code replies} throw
 *       {@link IllegalStateException}, a {@code receive} already waiting included, and a listener
 *       gets no more {@code onMessage}, only its end callback. If the server has not finished
 *       within 10 seconds the session is cancelled.
 *   <li><b>Ended.</b> {@link #end()} says how, as a {@link ChatEnd}: completed by the server
 *       ({@code OK}), cancelled ({@code CANCELLED}: by {@link #cancel()}, by the server, or by
 *       {@link HelloClient#close()}, the description says which), deadline exceeded
 *       ({@code DEADLINE_EXCEEDED}), server shut down or unreachable ({@code UNAVAILABLE}), or
 *       another error. Every blocked {@code send}, {@code receive} and {@code poll} wakes up,
 *       and every waiting {@link #whenReady} task runs.
 *       Replies that arrived before the end are still handed out in order, unless this side
 *       cancelled; after them {@code receive} returns {@code null} for a normal end and throws
 *       {@link io.hellogrpc.api.HelloException} for any other. A {@code send} or {@code trySend}
 *       after the end throws:
 *       {@link io.hellogrpc.api.HelloException} with the reason if the session failed,
 *       {@link IllegalStateException} if it completed.
 *   <li><b>Cancelled here</b>, by {@link #cancel()} (or a listener that threw): ended at once with
 *       {@code CANCELLED}; buffered replies are dropped and the server is told. If the server had
 *       already completed, the end stays {@code OK}: the replies not handed out yet are dropped
 *       all the same, {@code receive} returns {@code null} at once, and a listener gets no further
 *       {@code onMessage}, then {@code onCompleted}.
 *   <li><b>Client closed</b>: {@link HelloClient#close()} waits for the session to end, up to the
 *       client's grace period, then ends it with {@code CANCELLED} "the HelloClient was closed".
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>Every method is thread-safe. Several threads may send at once; each thread's messages keep
 * its order. Several threads may receive at once; each reply goes to one of them, in arrival
 * order. {@code complete}, {@code cancel} and {@code close} may be called from any thread,
 * including while others are blocked in {@code send} or {@code receive}.
 *
 * <p>An interrupted thread: {@code send}, {@code receive}, {@code poll} and {@code awaitEnd}
 * throw {@link InterruptedException}, and what they were doing did not happen; iterating
 * {@link #replies()}, which cannot throw it, throws {@link io.hellogrpc.api.HelloException}
 * {@code CANCELLED} and sets the thread's interrupt flag again. The session stays open either way.
 *
 * <p>Nothing is lost silently: a message {@code send} accepted is either answered, in order, or the
 * session ends with a status that says why. {@link #sentCount()} and {@link #receivedCount()} say
 * how far it got: with a server that answers each message once, in order (the default), the
 * messages numbered {@code receivedCount()} to {@code sentCount() - 1} were not answered. A
 * {@code null} message, or one larger than the client's {@code maxMessageSize}, is refused by
 * {@code send} with an exception and the session carries on.
 *
 * <p>A session opened with a {@link ChatListener} delivers replies to it instead: {@code receive},
 * {@code poll} and {@code replies} throw {@link IllegalStateException} there. So does a session
 * whose replies were handed to a {@code Flow.Subscriber} through {@link ChatFlow#replies}.
 *
 * <h2>Sending without blocking</h2>
 *
 * <p>A caller that must not block (an event loop, a reactive pipeline) sends with
 * {@link #trySend}, which takes the message or, while the transport cannot take more, takes
 * nothing and returns {@code false}; {@link #whenReady} then says when to try again:
 *
 * <pre>{@code
 * public void run() {                       // on the event loop, again each time whenReady says
 *   while (next != null || messages.hasNext()) {
 *     if (next == null) {
 *       next = messages.next();
 *     }
 *     if (!chat.trySend(next)) {            // the transport is full: nothing was taken
 *       chat.whenReady(() -> loop.execute(this));
 *       return;
 *     }
 *     next = null;
 *   }
 *   chat.complete();
 * }
 * }</pre>
 *
 * <p>Flow control is the same as for {@code send}: {@code trySend} takes a message only when a
 * {@code send} would not have to wait, and never queues one for later, so it lets no more past the
 * transport's readiness than one more sending thread would. Both may be used on one session, from
 * any threads: each message goes out in the order it was taken, by either. {@link ChatFlow} builds
 * {@code java.util.concurrent.Flow} adapters on these two methods.
 */
public interface ChatSession extends AutoCloseable {
  /**
   * Sends one message, waiting while the transport is not ready.
   *
   * @param message what to send
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if it is larger than the client's {@code maxMessageSize}, or
   *     has a lone surrogate (half a UTF-16 pair, which UTF-8 cannot encode), naming its index
   * @throws IllegalStateException after {@link #complete()}, or once the server completed
   * @throws io.hellogrpc.api.HelloException once the session ended with an error, saying why
   * @throws InterruptedException if interrupted while waiting; the message was not sent
   */
  void send(String message) throws InterruptedException;

  /**
   * Sends one message if the transport can take it now, without waiting: the non-blocking
   * {@link #send}. Either it takes the message, which then goes out as one {@code send} took
   * would (counted by {@link #sentCount()}, after every message taken before it and before any
   * taken after it, answered or accounted for by the session's end), or it takes nothing and
   * returns {@code false}: while the transport cannot take more (HTTP/2 flow control: where
   * {@code send} would wait), or while another thread is handing a message to the transport at
   * this very moment. Then {@link #whenReady} says when to try again.
   *
   * <p>It never blocks and ignores interrupts. A message too large, {@code null}, or with a lone
   * surrogate is refused with an exception, as by {@code send}, and the session carries on. Once
   * sending has ended it throws what {@code send} throws: {@code false} always means "later".
   * No fairness between the two paths: a {@code trySend} may take a message while a
   * {@code send} still waits for readiness.
   *
   * @param message what to send
   * @return true if the message was taken; false if nothing was taken and the caller should try
   *     again once {@link #whenReady} runs its task
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if it is larger than the client's {@code maxMessageSize}, or
   *     has a lone surrogate, naming its index
   * @throws IllegalStateException after {@link #complete()} or {@link #close()}, or once the
   *     server completed
   * @throws io.hellogrpc.api.HelloException once the session ended with an error, saying why
   */
  boolean trySend(String message);

  /**
   * Runs {@code task} once, on the client's callback executor, as soon as a {@link #trySend}
   * would take a message, or sending has ended ({@link #complete()}, {@link #close()},
   * {@link #cancel()}, the session's end), after which {@code trySend} throws, saying why. If that
   * is so already, the task is handed to the executor at once. Each call registers one task, run
   * once: after it, a {@code trySend} that takes nothing needs a new {@code whenReady}.
   *
   * <p>A task is a hint, not a reservation: another thread may take the room first, and then the
   * task's {@code trySend} returns {@code false} again. Tasks run one at a time, in the order
   * they became due, never under a lock of the session and never on a transport thread (unless
   * the client's callback executor is a direct one). A task that throws cancels the session, as
   * a {@link ChatListener} that throws does; if the executor refuses to run a task, the session
   * is cancelled saying so, and the task runs on the thread that was refused.
   *
   * @param task runs once the session can take a message, or sending has ended
   * @throws NullPointerException if {@code task} is null
   */
  void whenReady(Runnable task);

  /**
   * Waits for the next reply.
   *
   * @return the next reply, or {@code null} once the server completed and every reply was taken
   * @throws io.hellogrpc.api.HelloException once the session ended otherwise and every reply that
   *     arrived before the end was taken
   * @throws InterruptedException if interrupted while waiting; no reply was taken
   */
  String receive() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the next reply.
   *
   * @param timeout how long to wait at most
   * @return the next reply; {@code null} if none came in time or the server completed (tell the
   *     two apart with {@link #end()})
   * @throws io.hellogrpc.api.HelloException as {@link #receive()}
   * @throws InterruptedException if interrupted while waiting; no reply was taken
   */
  String poll(Duration timeout) throws InterruptedException;

  /**
   * The replies as they arrive, for a for-each loop that ends when the server completes. Iterating
   * takes replies from the session (it is single-pass) and throws
   * {@link io.hellogrpc.api.HelloException} if the session ends with an error. An interrupt of
   * the iterating thread stops the loop with {@code HelloException} {@code CANCELLED} and the
   * thread's interrupt flag set; the session itself stays open.
   *
   * @return the replies, for a for-each loop
   */
  Iterable<String> replies();

  /** Half-closes: tells the server no more messages will come. Replies keep arriving. Idempotent. */
  void complete();

  /**
   * Ends the session now with {@code CANCELLED} and tells the server; replies not handed out yet
   * are dropped. After the server completed, the end stays {@code OK} but the replies are dropped
   * all the same. Idempotent.
   */
  void cancel();

  /**
   * The application is done with the session: half-closes if needed, discards replies not read
   * yet (a {@code receive} waiting now throws {@link IllegalStateException}), and lets the server
   * finish, cancelling after 10 seconds if it does not. Returns at once. Does nothing once the
   * session has ended, or when called again.
   */
  @Override
  void close();

  /**
   * How many messages {@link #send} and {@link #trySend} have taken for the transport so far.
   *
   * @return the number of messages sent
   */
  long sentCount();

  /**
   * How many replies have arrived so far, whether read, still buffered, or discarded.
   *
   * @return the number of replies received
   */
  long receivedCount();

  /**
   * How the session ended, or empty while it is open.
   *
   * @return the end, or empty while open
   */
  Optional<ChatEnd> end();

  /**
   * Waits at most {@code timeout} for the session to end; empty if it is still open.
   *
   * @param timeout how long to wait at most
   * @return the end, or empty if the session is still open
   * @throws InterruptedException if interrupted while waiting
   */
  Optional<ChatEnd> awaitEnd(Duration timeout) throws InterruptedException;
}
