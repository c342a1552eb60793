package io.hellogrpc.reliability;

import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import io.hellogrpc.server.HelloServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link HelloServer} on 127.0.0.1 in a JVM of its own, for the tests that kill a server or
 * measure its memory. Prints {@code listening <port>}, then answers one line per command on stdin:
 * {@code sessions} (open sessions), {@code heap} (bytes of heap in use after a full collection),
 * {@code direct} (the most bytes of direct memory Netty held since the last time asked, sampled
 * every 10 ms), {@code leaks} (Netty leak reports since the last time asked), {@code fds} (file
 * descriptors open), {@code sockets} (of those, sockets: the listening one and every
 * connection), {@code threads} (live threads), {@code accepting} ({@code alive} while the
 * server's accept thread is, {@code gone} once it died). A command that fails answers
 * {@code error: ...}. Exits when stdin closes.
 *
 * <p>Options: {@code --port P} (default 0, any free port); {@code --reply-delay-ms N} (the Channel
 * handler takes that long per message: a slow consumer); {@code --stall-on PREFIX} (a message
 * starting with it blocks its session's handler until the JVM ends);
 * {@code --receive-buffer-size N}; {@code --token T} (HelloService calls need it);
 * {@code --max-buffered-bytes N}; {@code --max-connections N};
 * {@code --max-connections-per-address N}; {@code --max-connection-idle-ms N};
 * {@code --on-chat true} (a whole-session {@code onChat} handler that answers each message and
 * holds its thread for the session, instead of {@code onChannel}); {@code --hello-stall-on PREFIX}
 * (a {@code Hello} whose name starts with it blocks its handler until the command {@code release};
 * {@code stalled} answers how many have blocked so far).
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    long replyDelayMillis = Long.parseLong(options.getOrDefault("reply-delay-ms", "0"));
    String stallPrefix = options.get("stall-on");
    CountDownLatch never = new CountDownLatch(1);
    HelloServer.Builder builder =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(Integer.parseInt(options.getOrDefault("port", "0")));
    if (Boolean.parseBoolean(options.get("on-chat"))) {
      builder.onChat(
          session -> {
            for (String message : session.messages()) {
              session.send("hello:" + message);
            }
            session.complete();
          });
    } else {
      builder.onChannel(
          message -> {
            if (stallPrefix != null && message.startsWith(stallPrefix)) {
              never.await(); // the test kills this JVM while the session waits here
            }
            if (replyDelayMillis > 0) {
              Thread.sleep(replyDelayMillis); // the delay is the point: a slow handler
            }
            return "hello:" + message;
          });
    }
    CountDownLatch released = new CountDownLatch(1);
    AtomicInteger stalled = new AtomicInteger();
    String helloStallPrefix = options.get("hello-stall-on");
    if (helloStallPrefix != null) {
      builder.onHello(
          name -> {
            if (name.startsWith(helloStallPrefix)) {
              stalled.incrementAndGet();
              released.await(); // a handler that blocks, until the test says "release"
            }
            return "hello:" + name;
          });
    }
    if (options.containsKey("receive-buffer-size")) {
      builder.receiveBufferSize(Integer.parseInt(options.get("receive-buffer-size")));
    }
    if (options.containsKey("token")) {
      builder.requireToken(options.get("token"));
    }
    if (options.containsKey("max-buffered-bytes")) {
      builder.maxBufferedBytes(Long.parseLong(options.get("max-buffered-bytes")));
    }
    if (options.containsKey("max-connections")) {
      builder.maxConnections(Integer.parseInt(options.get("max-connections")));
    }
    if (options.containsKey("max-connections-per-address")) {
      builder.maxConnectionsPerAddress(
          Integer.parseInt(options.get("max-connections-per-address")));
    }
    if (options.containsKey("max-connection-idle-ms")) {
      builder.maxConnectionIdle(
          Duration.ofMillis(Long.parseLong(options.get("max-connection-idle-ms"))));
    }
    NettyLeaks.install();
    // Direct memory comes and goes with each read; a peak of a few milliseconds can exhaust it.
    AtomicLong peakDirect = new AtomicLong(usedDirectMemory());
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                peakDirect.accumulateAndGet(usedDirectMemory(), Math::max);
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // the period is the point
              }
            },
            "direct-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    HelloServer server = builder.start();
    System.out.println("listening " + server.port());
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      String answer;
      try {
        answer =
            switch (command) {
              case "sessions" -> Integer.toString(server.activeSessions());
              case "heap" -> Long.toString(usedHeapAfterGc());
              case "direct" -> Long.toString(peakDirect.getAndSet(usedDirectMemory()));
              case "leaks" -> Integer.toString(NettyLeaks.newReports().size());
              case "fds" -> Long.toString(descriptors(false));
              case "sockets" -> Long.toString(descriptors(true));
              case "threads" ->
                  Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount());
              case "accepting" -> acceptThread();
              case "stalled" -> Integer.toString(stalled.get());
              case "release" -> {
                released.countDown();
                yield "released";
              }
              default -> "error: unknown command '" + command + "'";
            };
      } catch (IOException | RuntimeException e) { // out of descriptors, say
        answer = "error: " + e;
      }
      System.out.println(answer);
    }
    server.shutdownNow(); // the test is done with us
    server.awaitTermination(Duration.ofSeconds(10));
  }

  /** Bytes of direct memory Netty holds now (-1 if it does not count them). */
  private static long usedDirectMemory() {
    return PlatformDependent.usedDirectMemory();
  }

  /**
   * The file descriptors this process has open (Linux: /proc/self/fd), or only its sockets. Reading
   * the directory takes a descriptor of its own, which is not counted.
   */
  static long descriptors(boolean socketsOnly) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      long count = 0;
      for (Path entry : entries) {
        String target;
        try {
          target = Files.readSymbolicLink(entry).toString();
        } catch (IOException closedSince) { // the directory's own descriptor, by now
          continue;
        }
        if (!socketsOnly || target.startsWith("socket:")) {
          count++;
        }
      }
      return count;
    }
  }

  /** "alive" while the server's accept thread is, "gone" once it has died. */
  static String acceptThread() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("hello-server-accept") && thread.isAlive()) {
        return "alive";
      }
    }
    return "gone";
  }

  static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** {@code --name value} pairs. */
  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
