package io.hellogrpc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TCP connection that says what an HTTP/2 client must say first (the preface and an empty
 * SETTINGS frame) and then nothing: a connection that costs its client nothing to hold, and, done
 * thousands of times, an attack on a server's connections and descriptors.
 */
public final class SilentConnection implements AutoCloseable {
  /** What became of a connection, as its client sees it. */
  public enum Answer {
    /** The server sent its SETTINGS: it accepted the connection and serves it. */
    ANSWERED,
    /** The server closed it without a word: refused. */
    CLOSED,
    /** Nothing yet: the connection waits in the kernel's backlog, not accepted. */
    SILENT
  }

  private static final byte[] PREFACE_AND_SETTINGS = prefaceAndSettings();

  private final Socket socket;
  private boolean hungUp; // the server closed it before it took the preface

  /** Connects from {@code from} (all of 127/8 is this host) to 127.0.0.1:{@code port}. */
  public SilentConnection(InetAddress from, int port) throws IOException {
    socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(loopback(1), port), 10_000);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    try {
      socket.getOutputStream().write(PREFACE_AND_SETTINGS);
    } catch (IOException e) {
      hungUp = true;
    }
  }

  /** 127.0.0.{@code lastByte}. */
  public static InetAddress loopback(int lastByte) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastByte});
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always an address
    }
  }

  /** Waits at most {@code patience} for the server's first word, or for it to close. */
  public Answer awaitAnswer(Duration patience) throws IOException {
    if (hungUp) {
      return Answer.CLOSED;
    }
    socket.setSoTimeout((int) patience.toMillis());
    try {
      return socket.getInputStream().read() == -1 ? Answer.CLOSED : Answer.ANSWERED;
    } catch (SocketTimeoutException e) {
      return Answer.SILENT;
    } catch (SocketException reset) {
      return Answer.CLOSED;
    }
  }

  /**
   * Whether the server has closed the connection by now, reading (and dropping) whatever it sent
   * meanwhile: GOAWAY, PING.
   */
  public boolean closedByServer() throws IOException {
    if (hungUp) {
      return true;
    }
    InputStream in = socket.getInputStream();
    socket.setSoTimeout(1);
    byte[] sink = new byte[1024];
    try {
      while (true) {
        if (in.read(sink) == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false; // nothing more to read, and still open
    } catch (SocketException reset) {
      return true;
    }
  }

  /**
   * Reads what the server says until it closes the connection, and returns how long that took.
   *
   * @throws AssertionError if it is still open after {@code atMost}
   */
  public Duration awaitClosedByServer(Duration atMost) throws IOException {
    long start = System.nanoTime();
    if (hungUp) {
      return Duration.ZERO;
    }
    socket.setSoTimeout((int) atMost.toMillis());
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[1024];
    try {
      while (in.read(sink) != -1) {
        // GOAWAY, PING: the end of the stream is the answer
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + atMost, e);
    } catch (SocketException reset) {
      // closed all the same
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static byte[] prefaceAndSettings() {
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[preface.length + 9];
    System.arraycopy(preface, 0, bytes, 0, preface.length);
    bytes[preface.length + 3] = 0x4; // a SETTINGS frame: no payload, no flags, stream 0
    return bytes;
  }
}
