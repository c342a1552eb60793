package io.hellogrpc.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.hellogrpc.client.ChatSession;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Tests with a HelloTestServer in an instance field run in parallel, each against a server of its
 * own: the nested class's four tests run at once under JUnit's parallel execution (they meet at a
 * barrier before they call), each with its own handler, recordings and server name.
 */
@Timeout(60)
class ParallelTest {
  @Test
  void testsInParallelEachHaveAServerOfTheirOwn() {
    FourAtOnce.names.clear();

    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(FourAtOnce.class))
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
            .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
            .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
            .configurationParameter(
                "junit.jupiter.execution.parallel.config.fixed.parallelism",
                String.valueOf(FourAtOnce.TESTS))
            .execute()
            .testEvents();

    assertThat(
            tests.failed().stream()
                .map(failed -> failed.getPayload(TestExecutionResult.class).orElseThrow())
                .map(result -> String.valueOf(result.getThrowable().orElse(null))))
        .as("failures")
        .isEmpty();
    assertThat(tests.succeeded().count()).isEqualTo(FourAtOnce.TESTS);
    assertThat(FourAtOnce.names).hasSize(FourAtOnce.TESTS);
  }

  static class FourAtOnce {
    static final int TESTS = 4;
    static final CyclicBarrier allRunning = new CyclicBarrier(TESTS);
    static final Set<String> names = ConcurrentHashMap.newKeySet();

    @RegisterExtension final HelloTestServer hello = new HelloTestServer();

    @Test
    void first() throws Exception {
      runsAlongsideTheOthers("first");
    }

    @Test
    void second() throws Exception {
      runsAlongsideTheOthers("second");
    }

    @Test
    void third() throws Exception {
      runsAlongsideTheOthers("third");
    }

    @Test
    void fourth() throws Exception {
      runsAlongsideTheOthers("fourth");
    }

    private void runsAlongsideTheOthers(String test) throws Exception {
      hello.onHello(name -> test + " greets " + name);
      hello.onChannel(message -> test + ":" + message);
      names.add(hello.name());
      allRunning.await(30, TimeUnit.SECONDS); // every test has set its handlers

      assertThat(hello.client().hello("Ann")).isEqualTo(test + " greets Ann");
      try (ChatSession chat = hello.client().openChat()) {
        chat.send(test);
        assertThat(chat.receive()).isEqualTo(test + ":" + test);
      }
      assertThat(hello.helloCalls()).extracting(RecordedCall::name).containsExactly("Ann");
      assertThat(hello.sessions())
          .singleElement()
          .extracting(RecordedSession::messages)
          .isEqualTo(List.of(test));
    }
  }
}
