package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The test server's life: started before a test (or a class), checked and cleaned up after each
 * test, stopped after the test (or the class). One test at a time.
 */
public final class TestServerCore {
  /** How long sessions get to finish after a test before they count as left open. */
  public static final Duration LEAK_WAIT = Duration.ofSeconds(2);

  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String name =
      "hello-test-" + INSTANCES.incrementAndGet() + "-" + UUID.randomUUID();
  private final Script script = new Script();
  private final Recorder recorder = new Recorder();
  private final Dispatcher dispatcher = new Dispatcher(script, recorder);
  private final List<TrackedClient> clients = new CopyOnWriteArrayList<>();
  private final List<HelloClient> registered = new CopyOnWriteArrayList<>();
  private volatile Consumer<HelloServer.Builder> serverOptions = builder -> {};
  private volatile Consumer<HelloClient.Builder> clientOptions = builder -> {};
  private volatile HelloServer server;
  private volatile TrackedClient client; // the test's client(), built on first use
  private boolean testRunning; // guarded by this

  public String name() {
    return name;
  }

  public Script script() {
    return script;
  }

  public Recorder recorder() {
    return recorder;
  }

  public void serverOptions(Consumer<HelloServer.Builder> options) {
    checkNotStarted("serverOptions");
    serverOptions = java.util.Objects.requireNonNull(options, "options");
  }

  public void clientOptions(Consumer<HelloClient.Builder> options) {
    checkNotStarted("clientOptions");
    clientOptions = java.util.Objects.requireNonNull(options, "options");
  }

  public boolean started() {
    return server != null;
  }

  /** Starts the server, if it is not running yet. */
  public synchronized void start() {
    if (server == null) {
      server = startServer();
    }
  }

  /** Before each test: the defaults, no recordings, and no other test running on this server. */
  public synchronized void beginTest() {
    if (testRunning) {
      throw new IllegalStateException(
          "a HelloTestServer serves one test at a time: two tests share " + name
              + " (a static field with tests running in parallel?); use an instance field");
    }
    testRunning = true;
    script.reset();
    recorder.clear();
  }

  public HelloServer server() {
    HelloServer running = server;
    if (running == null) {
      throw new IllegalStateException(
          "the HelloTestServer is not running: register it with @RegisterExtension and use it"
              + " inside a test");
    }
    return running;
  }

  public HelloClient client() {
    TrackedClient current = client;
    if (current == null) {
      synchronized (this) {
        server(); // fails the same way before the server runs
        if (client == null) {
          client = newClient(clientOptions, "the HelloTestServer's client()", false);
        }
        current = client;
      }
    }
    return current;
  }

  /** A client the test must close; {@code tracked} adds it to the ones checked after the test. */
  public TrackedClient newClient(
      Consumer<HelloClient.Builder> options, String description, boolean tracked) {
    server();
    HelloClient.Builder builder = HelloClient.builder();
    options.accept(builder);
    TrackedClient built = new TrackedClient(builder.inProcess(name).build(), description);
    if (tracked) {
      clients.add(built);
    }
    return built;
  }

  public void register(HelloClient client) {
    registered.add(java.util.Objects.requireNonNull(client, "client"));
  }

  /**
   * Ends every call and session in flight with {@code UNAVAILABLE}, as a dropped connection does.
   * The in-process transport has no socket to cut: shutting the server down and starting another
   * under the same name would leave clients that reconnected in between failing fast until their
   * reconnect backoff ran out, so the calls are ended where they are handled instead.
   */
  public void dropConnections() {
    server();
    dispatcher.dropAll();
  }

  /**
   * After each test: what it left open, as lines of a failure message (empty if nothing), after
   * closing and cancelling all of it, so the next test starts clean.
   */
  public synchronized List<String> endTest() {
    try {
      return checkAndCleanUp();
    } finally {
      testRunning = false;
    }
  }

  /** After the last test: stops the server. */
  public synchronized void stop() {
    HelloServer running = server;
    server = null;
    if (running != null) {
      running.close();
      awaitStopped(running);
    }
  }

  private List<String> checkAndCleanUp() {
    List<TrackedClient> all = new ArrayList<>(clients);
    if (client != null) {
      all.add(client);
    }
    long deadline = System.nanoTime() + LEAK_WAIT.toNanos();
    while (!clean(all) && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // sessions ending on their own
    }
    List<String> leaks = new ArrayList<>();
    for (TrackedClient each : all) {
      for (TrackedSession session : each.openSessions()) {
        leaks.add("a ChatSession of " + each.description() + " was left open; it was opened"
            + whereIn(session.openedAt()));
        session.release();
      }
    }
    HelloServer running = server;
    int serverSessions = running == null ? 0 : running.activeSessions();
    if (serverSessions > 0) {
      leaks.add(serverSessions + " session(s) still open on the server " + LEAK_WAIT.toMillis()
          + " ms after the test: a ChatSession its client never closed, or an onChat handler"
          + " that never returned");
      // End them for the clean-up, so the next test of a class-wide server starts clean.
      dispatcher.dropAll();
      long stopWaiting = System.nanoTime() + LEAK_WAIT.toNanos();
      while (running.activeSessions() > 0 && System.nanoTime() - stopWaiting < 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    for (TrackedClient each : clients) {
      if (!each.isClosed()) {
        leaks.add(each.description() + " was not closed");
      }
      each.close();
    }
    for (HelloClient each : registered) {
      if (!ClientProbe.isClosed(each)) {
        leaks.add("the registered client " + each + " was not closed");
      }
      each.close();
    }
    if (client != null) {
      client.close();
    }
    clients.clear();
    registered.clear();
    client = null;
    return leaks;
  }

  private boolean clean(List<TrackedClient> all) {
    HelloServer running = server;
    if (running != null && running.activeSessions() > 0) {
      return false;
    }
    return all.stream().allMatch(each -> each.openSessions().isEmpty());
  }

  private HelloServer startServer() {
    HelloServer.Builder builder =
        HelloServer.builder().shutdownGracePeriod(Duration.ofSeconds(1)); // tests wait for it
    serverOptions.accept(builder);
    builder.inProcess(name).onHello(dispatcher::hello).onChat(dispatcher::chat);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("the HelloTestServer " + name + " did not start", e);
    }
  }

  private void checkNotStarted(String what) {
    if (server != null) {
      throw new IllegalStateException(
          what + "(...) configures the server before it starts: set it where the extension is"
              + " created");
    }
  }

  private void awaitStopped(HelloServer stopping) {
    try {
      if (!stopping.awaitTermination(STOP_WAIT)) {
        throw new IllegalStateException("the HelloTestServer " + name + " did not stop within "
            + STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the HelloTestServer stopped", e);
    }
  }

  /** The test's frames where {@code where} was made: below this module's, above JUnit's. */
  private static String whereIn(Throwable where) {
    StringBuilder frames = new StringBuilder();
    for (StackTraceElement frame : where.getStackTrace()) {
      String type = frame.getClassName();
      if (type.startsWith(TestServerCore.class.getPackageName())) {
        continue;
      }
      if (type.startsWith("org.junit.") || type.startsWith("jdk.internal.")
          || type.startsWith("java.lang.reflect.")) {
        break;
      }
      frames.append("\n    at ").append(frame);
    }
    return frames.toString();
  }
}
