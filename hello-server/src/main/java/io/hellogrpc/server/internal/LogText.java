package io.hellogrpc.server.internal;

/**
 * Text a client can put into the server's log, made safe to log: a control character (a newline,
 * say) would let a client forge log lines, so each is written as an escape ({@code \n}, or
 * {@code \u001b}). Exceptions are copied with their messages escaped, their stacks kept.
 */
final class LogText {
  private LogText() {}

  static String escape(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text; // the common case: nothing to copy
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!needsEscape(c)) {
        escaped.append(c);
      } else if (c == '\n') {
        escaped.append("\\n");
      } else if (c == '\r') {
        escaped.append("\\r");
      } else if (c == '\t') {
        escaped.append("\\t");
      } else {
        escaped.append(String.format("\\u%04x", (int) c));
      }
    }
    return escaped.toString();
  }

  /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /**
   * {@code failure} as a log record may carry it: the same class name, stack and causes, with
   * every message escaped.
   */
  static Throwable escape(Throwable failure) {
    return escape(failure, 0);
  }

  private static Throwable escape(Throwable failure, int depth) {
    if (failure == null) {
      return null;
    }
    Escaped copy = new Escaped(failure.getClass().getName(), escape(failure.getMessage()));
    copy.setStackTrace(failure.getStackTrace());
    if (depth < 16 && failure.getCause() != null && failure.getCause() != failure) {
      copy.initCause(escape(failure.getCause(), depth + 1));
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      copy.addSuppressed(escape(suppressed, depth + 1));
    }
    return copy;
  }

  /** Prints as the original would: its class name, then its (escaped) message. */
  private static final class Escaped extends Exception {
    private static final long serialVersionUID = 1L;
    private final String originalClass;

    Escaped(String originalClass, String message) {
      super(message);
      this.originalClass = originalClass;
    }

    @Override
    public String toString() {
      String message = getMessage();
      return message == null ? originalClass : originalClass + ": " + message;
    }
  }
}
