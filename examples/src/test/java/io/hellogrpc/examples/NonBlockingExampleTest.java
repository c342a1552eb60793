package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's non-blocking examples run, and the README still shows their code. */
@Timeout(60)
class NonBlockingExampleTest {
  private static final Path EXAMPLE =
      Path.of("src/main/java/io/hellogrpc/examples/NonBlockingExample.java");
  private static final Path README = Path.of("../README.md");

  @Test
  void theExampleSendsEveryMessageBothWays() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      NonBlockingExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("event loop: 1000 sent, 1000 replies", "flow: 1000 replies, completed");
  }

  /** Each part of the example marked {@code // README name {} is in the README, as it is here. */
  @Test
  void theReadmeShowsTheExamplesCode() throws IOException {
    List<String> parts = readmeParts(Files.readString(EXAMPLE));
    assertThat(parts).hasSize(3);
    String readme = normalized(Files.readString(README));
    for (String part : parts) {
      assertThat(readme).as("the README shows this part of NonBlockingExample").contains(part);
    }
  }

  private static List<String> readmeParts(String source) {
    List<String> parts = new ArrayList<>();
    Matcher part =
        Pattern.compile("// README [^{\\n]*\\{\\n(.*?)\\n\\s*// }", Pattern.DOTALL).matcher(source);
    while (part.find()) {
      parts.add(normalized(part.group(1)));
    }
    return parts;
  }

  /** Lines without their indentation, blank lines left out: the README indents less. */
  private static String normalized(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
