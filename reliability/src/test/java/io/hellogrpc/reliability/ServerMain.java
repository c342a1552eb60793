package io.hellogrpc.reliability;

import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import io.hellogrpc.server.HelloServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link HelloServer} on 127.0.0.1 in a JVM of its own, for the tests that kill a server or
 * measure its memory. Prints {@code listening <port>}, then answers one line per command on stdin:
 * {@code sessions} (open sessions), {@code heap} (bytes of heap in use after a full collection),
 * {@code direct} (the most bytes of direct memory Netty held since the last time asked, sampled
 * every 10 ms), {@code leaks} (Netty leak reports since the last time asked). Exits when stdin
 * closes.
 *
 * <p>Options: {@code --port P} (default 0, any free port); {@code --reply-delay-ms N} (the Channel
 * handler takes that long per message: a slow consumer); {@code --stall-on PREFIX} (a message
 * starting with it blocks its session's handler until the JVM ends);
 * {@code --receive-buffer-size N}; {@code --token T} (HelloService calls need it);
 * {@code --max-buffered-bytes N}.
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
            .port(Integer.parseInt(options.getOrDefault("port", "0")))
            .onChannel(
                message -> {
                  if (stallPrefix != null && message.startsWith(stallPrefix)) {
                    never.await(); // the test kills this JVM while the session waits here
                  }
                  if (replyDelayMillis > 0) {
                    Thread.sleep(replyDelayMillis); // the delay is the point: a slow handler
                  }
                  return "hello:" + message;
                });
    if (options.containsKey("receive-buffer-size")) {
      builder.receiveBufferSize(Integer.parseInt(options.get("receive-buffer-size")));
    }
    if (options.containsKey("token")) {
      builder.requireToken(options.get("token"));
    }
    if (options.containsKey("max-buffered-bytes")) {
      builder.maxBufferedBytes(Long.parseLong(options.get("max-buffered-bytes")));
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
      System.out.println(
          switch (command) {
            case "sessions" -> Integer.toString(server.activeSessions());
            case "heap" -> Long.toString(usedHeapAfterGc());
            case "direct" -> Long.toString(peakDirect.getAndSet(usedDirectMemory()));
            case "leaks" -> Integer.toString(NettyLeaks.newReports().size());
            default -> "error: unknown command '" + command + "'";
          });
    }
    server.shutdownNow(); // the test is done with us
    server.awaitTermination(Duration.ofSeconds(10));
  }

  /** Bytes of direct memory Netty holds now (-1 if it does not count them). */
  private static long usedDirectMemory() {
    return PlatformDependent.usedDirectMemory();
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
