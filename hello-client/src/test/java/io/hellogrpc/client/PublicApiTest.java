package io.hellogrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN: no public or protected signature in hello-server or hello-client names a generated class
 * or a grpc type, so host applications never touch either.
 */
class PublicApiTest {
  @Test
  void noPublicSignatureNamesAGrpcOrGeneratedType() throws Exception {
    List<Class<?>> api = new ArrayList<>();
    api.addAll(publicTypesOf(HelloServer.class));
    api.addAll(publicTypesOf(HelloClient.class));
    assertThat(api)
        .extracting(Class::getName)
        .contains(
            "io.hellogrpc.server.HelloServer$Builder", "io.hellogrpc.client.ChatSession");

    List<String> leaks = new ArrayList<>();
    for (Class<?> type : api) {
      List<Type> named = new ArrayList<>(List.of(type.getGenericInterfaces()));
      if (type.getGenericSuperclass() != null) {
        named.add(type.getGenericSuperclass());
      }
      named.forEach(t -> check(type.getName(), t, leaks));
      for (Method method : type.getDeclaredMethods()) {
        if (visible(method.getModifiers()) && !method.isSynthetic()) {
          check(type.getName() + "." + method.getName(), method.getGenericReturnType(), leaks);
          checkParameters(type.getName() + "." + method.getName(), method, leaks);
        }
      }
      for (var constructor : type.getDeclaredConstructors()) {
        if (visible(constructor.getModifiers())) {
          checkParameters(type.getName() + ".<init>", constructor, leaks);
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (visible(field.getModifiers())) {
          check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkParameters(String where, Executable executable, List<String> leaks) {
    for (Type parameter : executable.getGenericParameterTypes()) {
      check(where, parameter, leaks);
    }
    for (Type thrown : executable.getGenericExceptionTypes()) {
      check(where, thrown, leaks);
    }
  }

  private static void check(String where, Type type, List<String> leaks) {
    String name = type.getTypeName();
    if (name.contains("io.grpc.") || name.contains("io.hellogrpc.api.proto.")) {
      leaks.add(where + " names " + name);
    }
    // DESIGN: OpenTelemetry's types, the ecosystem's standard, appear in the builders'
    // openTelemetry(...) setters and nowhere else (the dependency is optional).
    if (name.contains("io.opentelemetry.") && !OPEN_TELEMETRY_SETTERS.contains(where)) {
      leaks.add(where + " names " + name);
    }
  }

  private static final List<String> OPEN_TELEMETRY_SETTERS =
      List.of(
          "io.hellogrpc.server.HelloServer$Builder.openTelemetry",
          "io.hellogrpc.client.HelloClient$Builder.openTelemetry");

  @Test
  void openTelemetryAppearsInTheTwoBuildersSettersOnly() throws Exception {
    assertThat(
            HelloServer.Builder.class
                .getMethod("openTelemetry", io.opentelemetry.api.OpenTelemetry.class)
                .getReturnType())
        .isEqualTo(HelloServer.Builder.class);
    assertThat(
            HelloClient.Builder.class
                .getMethod("openTelemetry", io.opentelemetry.api.OpenTelemetry.class)
                .getReturnType())
        .isEqualTo(HelloClient.Builder.class);
    // The event listener, for applications without OpenTelemetry, is plain Java.
    for (Method method : io.hellogrpc.api.HelloEventListener.class.getDeclaredMethods()) {
      for (Class<?> parameter : method.getParameterTypes()) {
        assertThat(parameter.getName())
            .as(method.toString())
            .doesNotContain("io.grpc.")
            .doesNotContain("io.opentelemetry.")
            .doesNotContain(".proto.");
      }
    }
  }

  /** The public types, nested ones included, of {@code anchor}'s package (not its internals). */
  private static List<Class<?>> publicTypesOf(Class<?> anchor)
      throws IOException, URISyntaxException, ClassNotFoundException {
    String packagePath = anchor.getPackageName().replace('.', '/') + "/";
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> entries = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.list(location.resolve(packagePath))) {
        files.forEach(file -> entries.add(packagePath + file.getFileName()));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        jar.stream().forEach(entry -> entries.add(entry.getName()));
      }
    }
    List<Class<?>> types = new ArrayList<>();
    for (String entry : entries) {
      String inPackage = entry.startsWith(packagePath) ? entry.substring(packagePath.length()) : "";
      if (inPackage.endsWith(".class") && !inPackage.contains("/")
          && !inPackage.equals("package-info.class")) {
        Class<?> type =
            Class.forName(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        if (Modifier.isPublic(type.getModifiers())) {
          types.add(type);
        }
      }
    }
    return types;
  }
}
