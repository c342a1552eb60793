package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets for host applications ("Embedding" and "Testing your application")
 * are the text of sources this module compiles, and it/consumer compiles again against the
 * installed artifacts: each snippet must appear in one of them, line by line (indentation aside).
 */
class ReadmeTest {
  private static final Path SOURCES = Path.of("src", "main", "java", "io", "hellogrpc", "examples");
  private static final Path TESTS = Path.of("src", "test", "java", "io", "hellogrpc", "examples");
  private static final List<Path> COMPILED =
      List.of(
          SOURCES.resolve("EmbeddingExample.java"),
          SOURCES.resolve("EmbeddingSnippets.java"),
          SOURCES.resolve("Greeter.java"),
          TESTS.resolve("GreeterTest.java"));

  @Test
  void everyJavaSnippetOfEmbeddingAndTestingIsCompiledSource() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String sections =
        readme.substring(readme.indexOf("\n## Embedding\n"), readme.indexOf("\n## Production\n"));
    List<String> snippets = javaBlocks(sections);
    List<String> sources = new ArrayList<>();
    for (Path each : COMPILED) {
      sources.add(normalized(Files.readString(each)));
    }

    assertThat(snippets).hasSizeGreaterThanOrEqualTo(5); // four of Embedding, GreeterTest
    for (String snippet : snippets) {
      assertThat(sources)
          .as("a source of %s holding this README snippet:%n%s", COMPILED, snippet)
          .anySatisfy(source -> assertThat(source).contains(normalized(snippet)));
    }
  }

  @Test
  void showsGreeterTestInFull() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String test = Files.readString(TESTS.resolve("GreeterTest.java"));

    assertThat(readme).contains(test.substring(test.indexOf("import static")).strip());
  }

  private static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (block.find()) {
      blocks.add(block.group(1));
    }
    return blocks;
  }

  /** Each line without its indentation and trailing blanks; blank lines dropped. */
  private static String normalized(String text) {
    return text.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
