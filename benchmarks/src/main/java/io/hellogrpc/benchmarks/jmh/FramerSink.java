package io.hellogrpc.benchmarks.jmh;

import java.io.OutputStream;

/**
 * Where an encoded message is drained to, standing in for grpc's framer: it copies the bytes into
 * a reused buffer, as the framer copies them into its own, so the copy is part of the cost.
 */
final class FramerSink extends OutputStream {
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private long written;

  @Override
  public void write(int b) {
    if (position == buffer.length) {
      position = 0;
    }
    buffer[position++] = (byte) b;
    written++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (length > buffer.length - position) {
      position = 0;
    }
    System.arraycopy(bytes, offset, buffer, position, Math.min(length, buffer.length));
    position += Math.min(length, buffer.length);
    written += length;
  }

  /** Bytes written so far. */
  long written() {
    return written;
  }
}
