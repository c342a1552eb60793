package io.hellogrpc.server;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.api.StatusCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The server's side of one {@code Channel} session, given to a {@link ChatHandler}. It keeps the
 * client's {@code ChatSession} semantics, seen from the other end:
 *
 * <ul>
 *   <li>Messages from the client are buffered, at most the server's {@code receiveBufferSize}; while
 *       the buffer is full the server stops reading and the client's sends block.
 *   <li>{@link #send} blocks while the client is not reading replies; it is safe from several
 *       threads.
 *   <li>Once the client completes (half-closes), {@link #receive} hands out what is buffered, then
 *       returns {@code null}; the session stays open for replies until the handler ends it.
 *   <li>The handler ends the session with {@link #complete()}, {@link #fail}, or by returning.
 *       If the client cancels, disconnects or its deadline passes, or the server shuts down,
 *       every blocked call wakes and {@code receive} and {@code send} throw
 *       {@link io.hellogrpc.api.HelloException} saying which.
 * </ul>
 */
public interface ServerSession {
  /**
   * Waits for the client's next message.
   *
   * @return the next message, or {@code null} once the client completed and all were taken
   * @throws io.hellogrpc.api.HelloException if the session ended otherwise
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  String receive() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the next message.
   *
   * @param timeout how long to wait at most
   * @return the next message; {@code null} if none came in time or the client completed (then
   *     {@link #receive()} returns {@code null} at once, which tells the two apart)
   * @throws io.hellogrpc.api.HelloException if the session ended otherwise
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  String poll(Duration timeout) throws InterruptedException;

  /**
   * The client's messages as they arrive, until it completes; single-pass.
   *
   * @return the messages, for a for-each loop
   */
  Iterable<String> messages();

  /**
   * Sends one reply, waiting while the client is not reading.
   *
   * @param message the reply
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalArgumentException if it is larger than the server's {@code maxMessageSize}, or
   *     has a lone surrogate (half a UTF-16 pair, which UTF-8 cannot encode), naming its index
   * @throws IllegalStateException once the session ended normally (the handler completed it)
   * @throws io.hellogrpc.api.HelloException once it ended otherwise: with the handler's own
   *     {@link #fail} status, or because the client cancelled, its deadline passed, or the server
   *     is shutting down
   * @throws InterruptedException if interrupted while waiting; the reply was not sent
   */
  void send(String message) throws InterruptedException;

  /** Ends the session normally: the client sees its replies, then a normal end. Idempotent. */
  void complete();

  /**
   * Ends the session with an error the client sees as {@code code} and {@code description}.
   *
   * @param code the status; not {@link StatusCode#OK}
   * @param description why, in words the client can act on
   * @throws IllegalArgumentException if {@code code} is {@link StatusCode#OK}: use complete()
   */
  void fail(StatusCode code, String description);

  /**
   * Who opened the session, as {@link Caller#principal()} says: from the token when the server
   * requires one, else from the client certificate when it requires those; else empty.
   *
   * @return the principal, or empty
   */
  Optional<String> principal();

  /**
   * The value of the request header {@code name} the session was opened with, as
   * {@link Caller#header(String)}.
   *
   * @param name the header name
   * @return the value, or empty if the call has no such header
   * @throws IllegalArgumentException if {@code name} is not a header name, or is a binary one
   */
  Optional<String> header(String name);

  /**
   * The bytes of the binary request header {@code name} (ending in {@code -bin}), as
   * {@link Caller#binaryHeader(String)}.
   *
   * @param name the header name
   * @return a copy of the bytes, or empty if the call has no such header
   * @throws IllegalArgumentException if {@code name} is not a header name or does not end in
   *     {@code -bin}
   */
  Optional<byte[]> binaryHeader(String name);

  /**
   * Every ASCII request header a handler may see, as {@link Caller#headers()}.
   *
   * @return the headers by name; empty if none
   */
  Map<String, String> headers();

  /**
   * The peer's address; empty over the in-process transport.
   *
   * @return the address, or empty
   */
  Optional<InetSocketAddress> remoteAddress();

  /**
   * The client's certificate, under mutual TLS, as {@link Caller#clientCertificate()}.
   *
   * @return the certificate, or empty
   */
  Optional<ClientCertificate> clientCertificate();

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
