package io.hellogrpc.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What grpc (and the Netty it shades, whose loggers it renames under {@code io.grpc}) and the
 * library log through java.util.logging, kept for the test to assert on instead of printed, so a
 * green build prints nothing and a log line on the console means something went wrong. Uncaught
 * exceptions on any thread are kept too, as {@code SEVERE} records of the logger
 * {@value #UNCAUGHT}: a pool thread dying on an exception is worse than any log line.
 *
 * <p>As a JUnit extension it captures around each test (an instance field), or around the whole
 * class including {@code @BeforeAll} and {@code @AfterAll} (a static field); either way it also
 * covers the test's {@code @BeforeEach} and {@code @AfterEach}, where servers start and stop:
 *
 * <pre>{@code
 * @RegisterExtension final LogCapture logs = new LogCapture();
 * ...
 * assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
 * }</pre>
 *
 * <p>Around a block: {@code try (LogCapture logs = LogCapture.start()) { ... }}.
 *
 * <p>It takes records at the levels the loggers already let through (INFO and above unless
 * configured otherwise) and never lowers a level, which would switch on grpc's per-frame debug
 * logging. When a test fails, what was captured during it is printed after all, where the failure
 * can be read beside it. Captures nest; each restores on close what it changed.
 */
public final class LogCapture
    implements AutoCloseable,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback {
  /** The logger name under which uncaught exceptions are recorded. */
  public static final String UNCAUGHT = "uncaught";

  /** grpc, its shaded Netty (relocated under io.grpc.netty.shaded) and the library. */
  private static final List<String> GRPC_AND_LIBRARY = List.of("io.grpc", "io.hellogrpc");

  private final List<String> loggerNames;
  private final List<LogRecord> records = new ArrayList<>(); // guarded by itself
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (records) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  // What install() changed, for uninstall() to put back.
  private final List<Logger> loggers = new ArrayList<>(); // held: JUL keeps loggers weakly
  private final List<Boolean> usedParentHandlers = new ArrayList<>();
  private Thread.UncaughtExceptionHandler previousUncaught;
  private boolean installed;
  private boolean classWide;
  private int testStart; // index of the first record of the running test, when class-wide

  /** Captures {@code io.grpc} and {@code io.hellogrpc}, once installed (as an extension). */
  public LogCapture() {
    this(GRPC_AND_LIBRARY);
  }

  private LogCapture(List<String> loggerNames) {
    this.loggerNames = List.copyOf(loggerNames);
  }

  /** Captures {@code io.grpc} and {@code io.hellogrpc} from now until {@link #close()}. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.install();
    return capture;
  }

  /** Every record captured so far, in the order logged. */
  public List<LogRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /**
   * The records at {@code level} or above, one line each: level, logger, message and the
   * exception it carried, if any. Meant for assertions, whose failure then shows them.
   */
  public List<String> atOrAbove(Level level) {
    return records().stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(LogCapture::line)
        .toList();
  }

  /** Every record captured so far as a line, as {@link #atOrAbove(Level)} writes them. */
  public List<String> lines() {
    return atOrAbove(Level.ALL);
  }

  /** Forgets what was captured so far, to assert on what comes next. */
  public void clear() {
    synchronized (records) {
      records.clear();
      testStart = 0;
    }
  }

  /** Stops capturing: the loggers print as before. */
  @Override
  public void close() {
    uninstall();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    classWide = true;
    install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    uninstall();
    if (context.getExecutionException().isPresent()) {
      print(context.getDisplayName(), records());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (classWide) {
      synchronized (records) {
        testStart = records.size();
      }
    } else {
      clear();
      install();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!classWide) {
      uninstall();
    }
    if (context.getExecutionException().isPresent()) {
      List<LogRecord> all = records();
      print(context.getDisplayName(), all.subList(Math.min(testStart, all.size()), all.size()));
    }
  }

  private synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    for (String name : loggerNames) {
      Logger logger = Logger.getLogger(name);
      loggers.add(logger);
      usedParentHandlers.add(logger.getUseParentHandlers());
      logger.setUseParentHandlers(false); // or the console handler on the root prints it anyway
      logger.addHandler(handler);
    }
    previousUncaught = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, uncaught) -> {
          LogRecord record =
              new LogRecord(Level.SEVERE, "uncaught exception on thread " + thread.getName());
          record.setLoggerName(UNCAUGHT);
          record.setThrown(uncaught);
          handler.publish(record);
        });
  }

  private synchronized void uninstall() {
    if (!installed) {
      return;
    }
    installed = false;
    for (int i = loggers.size() - 1; i >= 0; i--) {
      loggers.get(i).removeHandler(handler);
      loggers.get(i).setUseParentHandlers(usedParentHandlers.get(i));
    }
    loggers.clear();
    usedParentHandlers.clear();
    Thread.setDefaultUncaughtExceptionHandler(previousUncaught);
    previousUncaught = null;
  }

  private static String line(LogRecord record) {
    String message = record.getMessage();
    if (record.getParameters() != null && message != null && message.contains("{")) {
      message = java.text.MessageFormat.format(message, record.getParameters());
    }
    return record.getLevel()
        + " "
        + record.getLoggerName()
        + ": "
        + message
        + (record.getThrown() == null ? "" : " [" + record.getThrown() + "]");
  }

  /** What a failed test logged, in full, for whoever reads the failure. */
  private static void print(String test, List<LogRecord> captured) {
    if (captured.isEmpty()) {
      return;
    }
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    out.println("--- what grpc and the library logged during " + test + ", which failed:");
    for (LogRecord record : captured) {
      out.println(line(record));
      if (record.getThrown() != null) {
        record.getThrown().printStackTrace(out);
      }
    }
    out.println("---");
    out.flush();
    System.err.print(text);
  }
}
