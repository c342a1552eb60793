package io.hellogrpc.benchmarks;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads (JDK 21+) from code compiled for 17: {@code Thread.ofVirtual().name(prefix, 0)
 * .factory()}, found reflectively. On an older JDK there are none, and {@link #supported()} says so.
 */
final class VirtualThreads {
  private VirtualThreads() {}

  /** Whether this JVM has virtual threads: JDK 21 or later. */
  static boolean supported() {
    return Runtime.version().feature() >= 21;
  }

  /** What to tell someone who ran a virtual-thread workload on an older JDK. */
  static String unsupportedMessage(String workload) {
    return workload + " needs JDK 21 or later for virtual threads; this is JDK "
        + Runtime.version() + " (" + System.getProperty("java.home") + "). Run the jar with a"
        + " newer java, such as /usr/lib/jvm/temurin-25-jdk-amd64/bin/java.";
  }

  /** A factory of virtual threads named {@code prefix0}, {@code prefix1}, ... */
  static ThreadFactory factory(String prefix) {
    if (!supported()) {
      throw new UnsupportedOperationException(unsupportedMessage("this"));
    }
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
      Method name = builder.getMethod("name", String.class, long.class);
      Object named = name.invoke(ofVirtual, prefix, 0L);
      return (ThreadFactory) builder.getMethod("factory").invoke(named);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("JDK " + Runtime.version() + " has no Thread.ofVirtual()", e);
    }
  }
}
