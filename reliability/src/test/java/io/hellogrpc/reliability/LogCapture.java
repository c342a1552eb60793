package io.hellogrpc.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What grpc, Netty and the library log (java.util.logging) at WARNING or above while it is
 * installed, to assert that an expected event, such as a client that vanishes, logs no alarm.
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");

  private LogCapture() {
    setLevel(Level.WARNING);
  }

  static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.root.addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    if (isLoggable(record)) {
      records.add(record);
    }
  }

  /** Each record as one line: level, logger, message and the exception it carried, if any. */
  List<String> lines() {
    return records.stream()
        .map(
            r ->
                r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                    + (r.getThrown() == null ? "" : " [" + r.getThrown() + "]"))
        .toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
