package io.hellogrpc.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.hellogrpc.client.CallSettings;
import io.hellogrpc.client.ChatSession;
import io.hellogrpc.client.HelloClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The check after each test, seen from outside: each nested class below is a test class that
 * misbehaves (or not) on purpose, run through the JUnit engine. Surefire does not run them itself
 * (nested classes are excluded from its scan).
 */
@Timeout(60)
class LeakCheckTest {
  @Test
  void aSessionOfTheClientLeftOpenFailsTheTestAndSaysWhereItWasOpened() {
    String failure = onlyFailure(LeavesASessionOpen.class);
    assertThat(failure)
        .contains("a ChatSession of the HelloTestServer's client() was left open")
        .contains("at io.hellogrpc.testing.junit.LeakCheckTest$LeavesASessionOpen.opens(")
        .doesNotContain("TrackedClient")
        // Cancelling it ended the server's side too: one leak, said once.
        .doesNotContain("still open on the server");
  }

  @Test
  void aSessionOpenedWithCallSettingsIsTrackedToo() {
    assertThat(onlyFailure(LeavesASessionWithSettingsOpen.class))
        .contains("a ChatSession of the HelloTestServer's client() was left open")
        .contains("at io.hellogrpc.testing.junit.LeakCheckTest$LeavesASessionWithSettingsOpen.opens(");
  }

  @Test
  void closedCancelledAndEndedSessionsAreFine() {
    Events tests = run(ClosesEverything.class);
    assertThat(tests.failed().count()).isZero();
    assertThat(tests.succeeded().count()).isEqualTo(3);
  }

  @Test
  void aClientFromNewClientLeftOpenFailsTheTest() {
    assertThat(onlyFailure(LeavesANewClientOpen.class))
        .contains("a client from newClient(...) was not closed");
  }

  @Test
  void aRegisteredClientLeftOpenFailsTheTestAndAClosedOneDoesNot() {
    Events tests = run(RegistersClients.class);
    assertThat(tests.succeeded().count()).isEqualTo(1);
    assertThat(failures(tests)).singleElement().asString().contains("was not closed");
  }

  @Test
  void aSessionOfTheTestsOwnClientIsSeenOnTheServer() {
    assertThat(onlyFailure(LeavesItsOwnClientsSessionOpen.class))
        .contains("1 session(s) still open on the server")
        .contains("the registered client")
        .doesNotContain("ChatSession of");
  }

  @Test
  void aChatHandlerThatNeverReturnsIsSeenOnTheServer() {
    assertThat(onlyFailure(HandlerNeverReturns.class))
        .contains("1 session(s) still open on the server");
  }

  @Test
  void aClassWideServerStartsEachTestCleanAfterOneThatLeaked() {
    Events tests = run(ClassWideServer.class);
    assertThat(failures(tests)).singleElement().asString().contains("was left open");
    assertThat(tests.succeeded().count()).isEqualTo(2);
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents();
  }

  private static List<String> failures(Events tests) {
    return tests.failed().stream()
        .map(LeakCheckTest::failureMessage)
        .toList();
  }

  private static String onlyFailure(Class<?> testClass) {
    List<String> failures = failures(run(testClass));
    assertThat(failures).hasSize(1);
    return failures.get(0);
  }

  private static String failureMessage(Event event) {
    Throwable thrown =
        event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
            .orElseThrow();
    return String.valueOf(thrown.getMessage());
  }

  static class LeavesASessionOpen {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void opens() throws Exception {
      ChatSession chat = hello.client().openChat();
      chat.send("a");
      assertThat(chat.receive()).isEqualTo("hello:a");
    }
  }

  static class LeavesASessionWithSettingsOpen {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void opens() throws Exception {
      CountDownLatch replied = new CountDownLatch(1);
      hello
          .client()
          .openChat(
              CallSettings.builder().header("x-request-id", "r-1").build(),
              (session, reply) -> replied.countDown())
          .send("a");
      assertThat(replied.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  static class ClosesEverything {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void closes() throws Exception {
      try (HelloClient own = hello.newClient(builder -> {});
          ChatSession chat = own.openChat()) {
        chat.send("a");
        assertThat(chat.receive()).isEqualTo("hello:a");
      }
    }

    @Test
    void cancels() throws Exception {
      ChatSession chat = hello.client().openChat();
      chat.send("a");
      chat.cancel();
    }

    @Test
    void letsTheServerEndIt() throws Exception {
      hello.endSessionsAfter(0, io.hellogrpc.api.StatusCode.ABORTED, "bye");
      ChatSession chat = hello.client().openChat();
      assertThat(chat.awaitEnd(java.time.Duration.ofSeconds(10))).isPresent();
    }
  }

  static class LeavesANewClientOpen {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void forgets() {
      HelloClient own = hello.newClient(builder -> {});
      assertThat(own.hello("a")).isEqualTo("hello:a");
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class RegistersClients {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    @Order(1)
    void closesIt() {
      try (HelloClient own =
          hello.register(HelloClient.builder().inProcess(hello.name()).build())) {
        assertThat(own.hello("a")).isEqualTo("hello:a");
      }
    }

    @Test
    @Order(2)
    void forgetsIt() {
      HelloClient own = hello.register(HelloClient.builder().inProcess(hello.name()).build());
      assertThat(own.hello("a")).isEqualTo("hello:a");
    }
  }

  static class LeavesItsOwnClientsSessionOpen {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void opens() throws Exception {
      HelloClient own = hello.register(HelloClient.builder().inProcess(hello.name()).build());
      ChatSession chat = own.openChat();
      chat.send("a");
      assertThat(chat.receive()).isEqualTo("hello:a");
    }
  }

  static class HandlerNeverReturns {
    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void waitsForever() throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      hello.onChat(
          session -> {
            started.countDown();
            never.await(); // the server's clean-up interrupts it
          });
      try (ChatSession chat = hello.client().openChat()) {
        chat.send("a");
        started.await();
      }
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ClassWideServer {
    @RegisterExtension static final HelloTestServer hello = new HelloTestServer();

    @Test
    @Order(1)
    void leaks() throws Exception {
      hello.onHello(name -> "hi " + name);
      hello.client().hello("a");
      ChatSession chat = hello.client().openChat();
      chat.send("a");
      assertThat(chat.receive()).isEqualTo("hello:a");
    }

    @Test
    @Order(2)
    void startsClean() throws Exception {
      assertThat(hello.server().activeSessions()).isZero();
      assertThat(hello.helloCalls()).isEmpty();
      assertThat(hello.sessions()).isEmpty();
      assertThat(hello.client().hello("b")).isEqualTo("hello:b");
    }

    @Test
    @Order(3)
    void sharesTheServer() {
      assertThat(hello.client().hello("c")).isEqualTo("hello:c");
    }
  }
}
