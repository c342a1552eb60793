package io.hellogrpc.testing.junit;

import io.hellogrpc.api.StatusCode;
import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.ChannelHandler;
import io.hellogrpc.server.ChatHandler;
import io.hellogrpc.server.HelloHandler;
import io.hellogrpc.server.HelloServer;
import io.hellogrpc.testing.junit.internal.TestServerCore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A HelloService server in the test's JVM, for testing code that uses a {@code HelloClient}:
 * handlers and faults set per test, what the server received recorded, and a test that leaves a
 * session or a client open failed.
 *
 * <pre>{@code
 * class GreeterTest {
 *   @RegisterExtension final HelloTestServer hello = new HelloTestServer();
 *
 *   @Test
 *   void greets() {
 *     hello.onHello(name -> "hi " + name);
 *     assertThat(new Greeter(hello.client()).greet("Ann")).isEqualTo("hi Ann");
 *     assertThat(hello.helloCalls()).extracting(RecordedCall::name).containsExactly("Ann");
 *   }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <p>In an instance field, a server is started before each test and stopped after it; in a
 * static field, one server serves every test of the class, started before the first. Either way,
 * before each test the handlers are the defaults ({@code "hello:" + name} and {@code "hello:" +
 * message}, as a real server), no fault is scripted and nothing is recorded. Each server is
 * in-process only, under a name unique in the JVM ({@link #name()}): tests in parallel each have
 * their own with instance fields. A server in a static field serves one test at a time; a second
 * test starting on it while one runs fails.
 *
 * <p>{@link #client()} is a client connected to the server, built on first use for each test and
 * closed by the extension after it. For code under test that builds its own client, give it
 * {@code HelloClient.builder().inProcess(server.name())}, or take one from {@link
 * #newClient(Consumer)}. The sessions of {@code client()} and {@code newClient} are wrapped, so
 * that the extension sees them: {@code ChatFlow}'s adapters, which take only a session a
 * {@code HelloClient} opened itself, refuse them; for those, build a client with
 * {@code inProcess(name())} and {@link #register} it.
 *
 * <h2>What it checks after each test</h2>
 *
 * <p>After the test and its {@code @AfterEach} methods, the extension waits up to 2 seconds for
 * sessions to finish, then fails the test, naming each one, if:
 *
 * <ul>
 *   <li>a {@code ChatSession} opened through {@link #client()} or a client from {@link
 *       #newClient(Consumer)} has not ended and the test neither closed nor cancelled it (the
 *       failure shows where it was opened);
 *   <li>the server still has a session open ({@link HelloServer#activeSessions()}), whoever
 *       opened it: a client the test built itself included, or an {@link #onChat} handler that
 *       never returned;
 *   <li>a client from {@link #newClient(Consumer)} or one given to {@link #register} was not
 *       closed.
 * </ul>
 *
 * <p>It cannot see a client the test built itself and did not register, unless that client left
 * a session open on this server; a session on a client that was not built here and has already
 * ended (nothing is held open then); {@code hello} and {@code helloAsync} calls still in flight;
 * or anything against another server. Whether a registered client was closed is asked of the
 * client itself: a closed {@code HelloClient} refuses {@code hello(null)} with {@code
 * IllegalStateException}, an open one with {@code NullPointerException}, without a call.
 *
 * <p>Whatever it finds, it then cancels the sessions, ends those still open on the server as
 * {@link #dropConnections()} does, and closes the clients, so that the next test on a server in
 * a static field starts clean.
 */
public final class HelloTestServer
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final TestServerCore core = new TestServerCore();
  private boolean classWide;

  /** A test server with the defaults; register it with {@code @RegisterExtension}. */
  public HelloTestServer() {}

  /**
   * Server settings beyond the defaults, such as {@code requireToken(...)} for tests that need a
   * principal, or {@code receiveBufferSize(...)}. Handlers are set on this extension instead
   * ({@link #onHello}, {@link #onChannel}, {@link #onChat}); the server is in-process under
   * {@link #name()}, so neither {@code port} nor {@code host} may be set. The shutdown grace
   * period is 1 second unless set here.
   *
   * @param options applied to the builder each time the server starts
   * @return this extension
   * @throws IllegalStateException once the server has started
   */
  public HelloTestServer serverOptions(Consumer<HelloServer.Builder> options) {
    core.serverOptions(options);
    return this;
  }

  /**
   * Settings of {@link #client()} beyond the defaults, such as {@code token(...)} or
   * {@code helloDeadline(...)}. It connects in-process to this server whatever is set here.
   *
   * @param options applied to the builder of each test's client
   * @return this extension
   * @throws IllegalStateException once the server has started
   */
  public HelloTestServer clientOptions(Consumer<HelloClient.Builder> options) {
    core.clientOptions(options);
    return this;
  }

  /**
   * The server's in-process name, for clients the code under test builds itself:
   * {@code HelloClient.builder().inProcess(name)}.
   *
   * @return a name unique in this JVM
   */
  public String name() {
    return core.name();
  }

  /**
   * The running server, to ask for its {@link HelloServer#activeSessions()}.
   *
   * @return the server
   * @throws IllegalStateException outside a test
   */
  public HelloServer server() {
    return core.server();
  }

  /**
   * A client connected to the server, the same one throughout a test, closed by the extension
   * after it. Its sessions are checked: close or cancel each one the test opens.
   *
   * @return the client
   * @throws IllegalStateException outside a test
   */
  public HelloClient client() {
    return core.client();
  }

  /**
   * Another client connected to the server, with settings of its own. The test must close it, and
   * its sessions; the extension checks both after the test.
   *
   * @param options applied to the client's builder; it connects in-process to this server
   *     whatever is set
   * @return the client
   * @throws IllegalStateException outside a test
   */
  public HelloClient newClient(Consumer<HelloClient.Builder> options) {
    return core.newClient(
        Objects.requireNonNull(options, "options"), "a client from newClient(...)", true);
  }

  /**
   * Has the extension check, after the test, that {@code client} was closed, and close it if not:
   * for a client the code under test built (with {@link #name()}).
   *
   * @param client a client of this server
   * @param <C> the client's type
   * @return {@code client}
   */
  public <C extends HelloClient> C register(C client) {
    core.register(client);
    return client;
  }

  /**
   * Answers {@code Hello} with {@code handler} for the rest of the test. It may throw
   * {@code HelloException} to fail a call with a status of its choice, and read the caller's
   * principal with {@code Caller.principal()}.
   *
   * @param handler answers each call
   * @return this extension
   */
  public HelloTestServer onHello(HelloHandler handler) {
    core.script().onHello(handler);
    return this;
  }

  /**
   * Answers each {@code Channel} message with {@code handler} for the rest of the test, one reply
   * per message; replaces an {@link #onChat} handler.
   *
   * @param handler answers each message
   * @return this extension
   */
  public HelloTestServer onChannel(ChannelHandler handler) {
    core.script().onChannel(handler);
    return this;
  }

  /**
   * Runs each {@code Channel} session with {@code handler} for the rest of the test, for replies
   * in any rhythm; replaces the per-message handler. The messages it takes are recorded, and
   * the scripted faults apply to its session's {@code receive} and {@code send}.
   *
   * @param handler runs each session
   * @return this extension
   */
  public HelloTestServer onChat(ChatHandler handler) {
    core.script().onChat(handler);
    return this;
  }

  /**
   * Fails the next {@code Hello} call or {@code Channel} session, whichever comes first, with
   * this status, before any handler runs. Called again, it queues another failure for the call
   * after.
   *
   * @param code the status; not {@link StatusCode#OK}
   * @param description what the client sees as the reason
   * @return this extension
   */
  public HelloTestServer failNextCall(StatusCode code, String description) {
    core.script().failNextCall(code, description);
    return this;
  }

  /**
   * Holds every reply this long before it is sent, {@code Hello} replies and session replies
   * alike: for testing deadlines and timeouts. A call the client gives up on stops waiting.
   * {@link Duration#ZERO} answers at once again.
   *
   * @param delay zero or more
   * @return this extension
   */
  public HelloTestServer delayReplies(Duration delay) {
    core.script().delayReplies(delay);
    return this;
  }

  /**
   * Ends every session, open ones included, once the server has received {@code messages} of its
   * messages (and, with a per-message handler, answered them): with {@link StatusCode#OK} it
   * completes normally, with any other code the client sees that status and description.
   *
   * @param messages 0 or more; 0 ends a session before its first message
   * @param code how the session ends
   * @param description what the client sees as the reason
   * @return this extension
   */
  public HelloTestServer endSessionsAfter(int messages, StatusCode code, String description) {
    core.script().endSessionsAfter(messages, code, description);
    return this;
  }

  /**
   * While {@code refuse} is true, every {@code Hello} call and every new session fails at once
   * with {@link StatusCode#UNAVAILABLE}, as from a server that is down; sessions already open go
   * on. A client with {@code helloMaxAttempts} retries the calls.
   *
   * @param refuse true to refuse, false to serve again
   * @return this extension
   */
  public HelloTestServer refuseAll(boolean refuse) {
    core.script().refuseAll(refuse);
    return this;
  }

  /**
   * Drops every connection now, as the client sees it: every open session and every
   * {@code Hello} call in flight ends with {@link StatusCode#UNAVAILABLE} "the connection was
   * dropped (HelloTestServer.dropConnections)", and the handlers running them are interrupted.
   * The next call and session are served as usual. (In-process there is no socket to cut: the
   * calls are ended where the server handles them, so a client never waits out a reconnect
   * backoff in a test.)
   */
  public void dropConnections() {
    core.dropConnections();
  }

  /**
   * The {@code Hello} calls the server received during this test, in order, failed and refused
   * ones included.
   *
   * @return a snapshot of the calls
   */
  public List<RecordedCall> helloCalls() {
    return core.recorder().calls();
  }

  /**
   * The {@code Channel} sessions opened during this test, in order, with the messages each had
   * received when this was called.
   *
   * @return a snapshot of the sessions
   */
  public List<RecordedSession> sessions() {
    return core.recorder().sessions();
  }

  /**
   * Starts the server for the whole class, when the extension is in a static field.
   *
   * @param context the class's context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    classWide = true;
    core.start();
  }

  /**
   * Starts the server for this test, unless it runs for the class, and resets handlers, faults
   * and recordings.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    core.start();
    core.beginTest();
  }

  /**
   * Fails the test if it left a session or a client open, after cleaning up whatever it left;
   * stops the server unless it runs for the class.
   *
   * @param context the test's context
   */
  @Override
  public void afterEach(ExtensionContext context) {
    List<String> leaks;
    try {
      leaks = core.endTest();
    } finally {
      if (!classWide) {
        core.stop();
      }
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "the test left " + (leaks.size() == 1 ? "this" : "these") + " open (HelloTestServer "
              + name() + "):\n- " + String.join("\n- ", leaks));
    }
  }

  /**
   * Stops the server that ran for the class.
   *
   * @param context the class's context
   */
  @Override
  public void afterAll(ExtensionContext context) {
    core.stop();
  }
}
