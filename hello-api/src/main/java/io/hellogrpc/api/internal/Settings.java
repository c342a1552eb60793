package io.hellogrpc.api.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks both builders run on a setting as it is set, each failing with a message that names
 * the setting and the bad value ("receiveBufferSize must be at least 1: 0").
 */
public final class Settings {
  private Settings() {}

  public static Duration positive(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive: " + value);
    }
    return value;
  }

  public static Duration notNegative(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative()) {
      throw new IllegalArgumentException(setting + " must not be negative: " + value);
    }
    return value;
  }

  /** @param unit what the value counts, for the message ("byte"), or "" */
  public static int atLeastOne(String setting, int value, String unit) {
    if (value < 1) {
      throw new IllegalArgumentException(
          setting + " must be at least 1" + (unit.isEmpty() ? "" : " " + unit) + ": " + value);
    }
    return value;
  }

  public static String notBlank(String setting, String value) {
    Objects.requireNonNull(value, setting);
    if (value.isBlank()) {
      throw new IllegalArgumentException(setting + " must not be blank: '" + value + "'");
    }
    return value;
  }
}
