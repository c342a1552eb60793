package io.hellogrpc.benchmarks;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * An outcome's {@code double} and {@code String} fields as lines {@code name value}, so that a
 * client JVM ({@link ClientJvm}) can hand its figures to the benchmark's.
 */
final class FieldLines {
  private FieldLines() {}

  /** A line per field that is set; line breaks in text become spaces. */
  static List<String> of(Object outcome) {
    List<String> lines = new ArrayList<>();
    for (Field field : fields(outcome)) {
      Object value = get(field, outcome);
      if (value != null) {
        lines.add(field.getName() + " " + value.toString().replace('\n', ' '));
      }
    }
    return lines;
  }

  /** Sets {@code outcome}'s fields from {@code lines}; lines that name no field are ignored. */
  static <T> T read(List<String> lines, T outcome) {
    List<Field> fields = fields(outcome);
    for (String line : lines) {
      String[] nameAndValue = line.split(" ", 2);
      String value = nameAndValue.length > 1 ? nameAndValue[1] : "";
      for (Field field : fields) {
        if (field.getName().equals(nameAndValue[0])) {
          set(field, outcome, field.getType() == double.class ? Double.parseDouble(value) : value);
        }
      }
    }
    return outcome;
  }

  private static List<Field> fields(Object outcome) {
    List<Field> fields = new ArrayList<>();
    for (Field field : outcome.getClass().getDeclaredFields()) {
      boolean figure = field.getType() == double.class || field.getType() == String.class;
      if (figure && !Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        fields.add(field);
      }
    }
    return fields;
  }

  private static Object get(Field field, Object outcome) {
    try {
      return field.get(outcome);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void set(Field field, Object outcome, Object value) {
    try {
      field.set(outcome, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
