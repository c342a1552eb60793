package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a client writes cannot start a line of the server's log. */
class LogTextTest {
  @Test
  void controlCharactersAreWrittenAsEscapes() {
    assertThat(LogText.escape("name\nWARNING: forged\r\tand \u001b[31mred\u2028"))
        .isEqualTo("name\\nWARNING: forged\\r\\tand \\u001b[31mred\\u2028");
  }

  @Test
  void ordinaryTextIsLeftAsItIs() {
    String text = "héllo wörld: 日本";
    assertThat(LogText.escape(text)).isSameAs(text);
  }

  @Test
  void anExceptionKeepsItsClassStackAndCausesWithEveryMessageEscaped() {
    IllegalStateException cause = new IllegalStateException("cause\nforged");
    RuntimeException failure = new RuntimeException("top\nforged", cause);

    Throwable logged = LogText.escape(failure);

    assertThat(logged).hasToString("java.lang.RuntimeException: top\\nforged");
    assertThat(logged.getStackTrace()).isEqualTo(failure.getStackTrace());
    assertThat(logged.getCause()).hasToString("java.lang.IllegalStateException: cause\\nforged");
  }
}
