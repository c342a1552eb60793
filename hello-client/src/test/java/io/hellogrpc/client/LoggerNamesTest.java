package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.ChatEnd;
import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.logging.LogManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library logs under the public names the README lists, never under a class name (which
 * would change with every refactoring and show {@code internal} to operators): every class of
 * hello-api, hello-server and hello-client is loaded and initialized, which creates their static
 * loggers, and then the JVM knows no {@code io.hellogrpc} logger but those.
 */
class LoggerNamesTest {
  /** The README's "Logs" section; io.hellogrpc is their parent, which LogCapture configures. */
  private static final List<String> PUBLIC_NAMES =
      List.of("io.hellogrpc", "io.hellogrpc.client", "io.hellogrpc.server", "io.hellogrpc.session");

  @Test
  void everyLoggerOfTheLibraryHasAPublicName() throws Exception {
    List<String> classes = new ArrayList<>();
    for (Class<?> anchor : List.of(ChatEnd.class, HelloServer.class, HelloClient.class)) {
      classes.addAll(classesBeside(anchor));
    }
    assertThat(classes)
        .contains(
            "io.hellogrpc.server.internal.HandlerFailures",
            "io.hellogrpc.client.internal.RealChatSession",
            "io.hellogrpc.api.internal.InboundQueue");
    for (String name : classes) {
      Class.forName(name, true, getClass().getClassLoader());
    }

    List<String> loggers =
        Collections.list(LogManager.getLogManager().getLoggerNames()).stream()
            .filter(name -> name.startsWith("io.hellogrpc"))
            .sorted()
            .toList();
    assertThat(loggers)
        .isSubsetOf(PUBLIC_NAMES)
        .contains("io.hellogrpc.server", "io.hellogrpc.client", "io.hellogrpc.session");
  }

  /** The names of the classes in the jar or directory {@code anchor} was loaded from. */
  private static List<String> classesBeside(Class<?> anchor)
      throws IOException, URISyntaxException {
    Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> entries = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where)) {
        files.forEach(file -> entries.add(where.relativize(file).toString().replace('\\', '/')));
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        jar.stream().forEach(entry -> entries.add(entry.getName()));
      }
    }
    return entries.stream()
        .filter(entry -> entry.endsWith(".class") && !entry.endsWith("module-info.class"))
        .filter(entry -> !entry.endsWith("package-info.class"))
        .map(entry -> entry.substring(0, entry.length() - ".class".length()).replace('/', '.'))
        .toList();
  }
}
