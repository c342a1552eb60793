package io.hellogrpc.api;

import java.time.Duration;

/**
 * Hears what a {@code HelloServer} or a {@code HelloClient} does, for applications that count,
 * time or log it their own way (with OpenTelemetry, the builders' {@code openTelemetry(...)} does
 * it for you). Set one with {@code eventListener(...)} on either builder; extend this class and
 * override the events you want, the others do nothing.
 *
 * <pre>{@code
 * HelloClient.builder().target("localhost:1234").eventListener(new HelloEventListener() {
 *   @Override public void sessionEnded(long session, ChatEnd end, long sent, long received,
 *       Duration duration) {
 *     log.info("session {} ended {} after {}: {} sent, {} received", session, end, duration,
 *         sent, received);
 *   }
 * }).build();
 * }</pre>
 *
 * <p><b>Sessions</b> are {@code Channel} calls: a client's {@code ChatSession}, a server's
 * {@code onChannel} or {@code onChat} session. Each has an id, unique within its server or client
 * and counting from 1, that ties its events together. A {@code Hello} is one event, when it ends.
 *
 * <p><b>Threads.</b> An event runs on the thread where the library learns of it, never on one of
 * its own made for the purpose:
 *
 * <table>
 *   <caption>Where each event runs</caption>
 *   <tr><th>event</th><th>client</th><th>server</th></tr>
 *   <tr><td>{@link #sessionOpened}</td><td>the thread calling {@code openChat}</td>
 *       <td>a transport thread, as the call arrives</td></tr>
 *   <tr><td>{@link #sessionEnded}</td><td>a transport thread when the server or the network ended
 *       it; the application's thread when it did ({@code cancel()}, {@code HelloClient.close()});
 *       a timer thread (the client's or grpc's) for a deadline, an idle timeout or the end of
 *       {@code close()}'s grace</td>
 *       <td>a transport thread, once the call is over</td></tr>
 *   <tr><td>{@link #senderBlocked}, {@link #senderResumed}</td>
 *       <td>the thread calling {@code ChatSession.send}</td>
 *       <td>the {@code onChat} handler's thread calling {@code ServerSession.send}</td></tr>
 *   <tr><td>{@link #helloEnded}</td><td>the thread calling {@code hello()}; for
 *       {@code helloAsync()}, the client's callback executor</td>
 *       <td>a transport thread, once the call is over</td></tr>
 * </table>
 *
 * <p>A transport thread is a Netty event loop serving many connections (with the in-process
 * transport, often the peer's thread): a listener that blocks there stalls every call on it, so
 * return quickly, and hand slow work (a database, a remote log) to an executor of your own. A
 * session's events come in order, opened first; events of different sessions and of
 * {@code Hello}s come from any thread, at once: the listener must be thread-safe.
 *
 * <p><b>Cost.</b> Without a listener (and without OpenTelemetry) the library does none of this: no
 * clock read, no allocation, no interceptor on the channel. With one, each session and each
 * {@code Hello} costs two {@link System#nanoTime()} reads, a small object that follows the call,
 * the events' method calls and the {@link Duration}s they carry; a sender costs two more clock
 * reads and two events only when it actually waits for flow control. Nothing runs per message:
 * the message counts {@link #sessionEnded} reports are the session's own counters.
 *
 * <p><b>Failures.</b> An exception thrown by the listener is caught: the session or call goes on
 * as if the listener had returned. The first one is logged at {@code WARNING} (logger
 * {@code io.hellogrpc.server} or {@code io.hellogrpc.client}), later ones at {@code FINE}.
 */
public abstract class HelloEventListener {
  /** A listener that hears nothing until its subclass overrides an event. */
  protected HelloEventListener() {}

  /**
   * A session started. Client: on the thread calling {@code openChat}, before it returns (the
   * server may not have seen the session yet). Server: on the transport thread, as the call
   * arrives, before the handler runs.
   *
   * @param session its id, unique within this server or client
   */
  public void sessionOpened(long session) {}

  /**
   * A session ended, once. Client: on the thread that ended it, a transport thread when the server
   * or the network did, the application's when it called {@code cancel()}; a reader waiting in
   * {@code receive()} is woken first, so this may come a moment after the application saw the
   * end. Server: on the transport thread, once the call is over (its status sent, or the client
   * cancelled or went away). A sender that the end wakes from a wait may report
   * {@link #senderResumed} just after this.
   *
   * @param session its id, as {@link #sessionOpened} had it
   * @param end how it ended, as {@code ChatSession.end()} reports it on the client
   * @param sentCount messages this side sent (handed to the transport)
   * @param receivedCount messages this side received from its peer
   * @param duration from {@link #sessionOpened} to now
   */
  public void sessionEnded(
      long session, ChatEnd end, long sentCount, long receivedCount, Duration duration) {}

  /**
   * A sender found the transport not ready (HTTP/2 flow control: the peer reads slower than this
   * side sends) and waits. On the sending thread: the one calling {@code ChatSession.send} on the
   * client, or an {@code onChat} handler's {@code ServerSession.send} on the server. An
   * {@code onChannel} session holds no thread while the client does not read, and
   * {@code ChatSession.trySend} (and a {@code ChatFlow} subscriber) never waits, so they have none
   * of these events.
   *
   * @param session the id of the session whose sender waits
   */
  public void senderBlocked(long session) {}

  /**
   * The sender of {@link #senderBlocked} goes on: its message was handed to the transport, or its
   * send failed because the session ended. On the sending thread.
   *
   * @param session the id of the session whose sender waited
   * @param blocked how long it waited
   */
  public void senderResumed(long session, Duration blocked) {}

  /**
   * A {@code Hello} ended. Client: on the thread that called {@code hello()}, or the callback
   * executor for {@code helloAsync()}; a retried {@code Hello} is one event. Server: on the
   * transport thread, once the call is over.
   *
   * @param status how it ended; {@code OK} for a reply
   * @param latency client: from the call's start to its end; server: from the call's arrival to
   *     its end
   */
  public void helloEnded(StatusCode status, Duration latency) {}
}
