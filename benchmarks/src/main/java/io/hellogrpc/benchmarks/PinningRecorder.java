package io.hellogrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Counts carrier pinning in this JVM with JFR: every {@code jdk.VirtualThreadPinned} event, whatever
 * its duration (the JDK's own settings only record pins of 20 ms or more), with where it happened.
 * A virtual thread is pinned when it blocks where it cannot unmount (in native code, a class
 * initializer, before JDK 24 inside {@code synchronized}), holding its carrier thread meanwhile.
 */
final class PinningRecorder {
  static final String EVENT = "jdk.VirtualThreadPinned";
  private static final int FRAMES = 4;

  /** What was recorded: how many pins, and the most frequent places, as "count at frames". */
  record Report(long events, List<String> places) {
    /** The most frequent places, most frequent first; empty if nothing pinned. */
    String where() {
      return String.join("; ", places);
    }
  }

  private final Recording recording = new Recording();

  private PinningRecorder() {
    recording.setName("hello-benchmarks-pinning");
    recording.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
  }

  static PinningRecorder start() {
    PinningRecorder recorder = new PinningRecorder();
    recorder.recording.start();
    return recorder;
  }

  /** Stops recording and reads what it recorded. */
  Report stop() throws IOException {
    Path file = Files.createTempFile("hello-benchmarks-pinning", ".jfr");
    try {
      recording.stop();
      recording.dump(file);
      long events = 0;
      Map<String, Long> byPlace = new HashMap<>();
      try (RecordingFile records = new RecordingFile(file)) {
        while (records.hasMoreEvents()) {
          RecordedEvent event = records.readEvent();
          if (event.getEventType().getName().equals(EVENT)) {
            events++;
            byPlace.merge(place(event), 1L, Long::sum);
          }
        }
      }
      List<String> places =
          byPlace.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(3)
              .map(entry -> entry.getValue() + " at " + entry.getKey())
              .collect(Collectors.toList());
      return new Report(events, places);
    } finally {
      recording.close();
      Files.deleteIfExists(file);
    }
  }

  /**
   * Why (JDK 24+ records it: a native frame, a class loader or initializer, ...) and the innermost
   * frames, as {@code [why] Class.method:line < caller < ...}.
   */
  private static String place(RecordedEvent event) {
    String why = event.hasField("pinnedReason") ? "[" + event.getString("pinnedReason") + "] " : "";
    if (event.getStackTrace() == null) {
      return why + "(no stack trace)";
    }
    return why
        + event.getStackTrace().getFrames().stream()
            .limit(FRAMES)
            .map(PinningRecorder::frame)
            .collect(Collectors.joining(" < "));
  }

  private static String frame(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + ":"
        + frame.getLineNumber();
  }
}
