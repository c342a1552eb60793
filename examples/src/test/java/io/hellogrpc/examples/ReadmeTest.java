package io.hellogrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README shows GreeterTest in full; this keeps the two the same text. */
class ReadmeTest {
  @Test
  void showsGreeterTestAsItIs() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String test =
        Files.readString(Path.of("src/test/java/io/hellogrpc/examples/GreeterTest.java"));

    assertThat(readme).contains(test.substring(test.indexOf("import static")).strip());
  }
}
