package io.hellogrpc.client.internal;

import io.hellogrpc.client.CallSettings;
import java.util.function.Function;

/**
 * Hands the implementation what a {@link CallSettings} holds beyond its public accessors (its
 * checked headers), without a public method that names an internal type. CallSettings registers
 * the reader as its class initializes, which is before any instance exists.
 */
public final class CallSettingsAccess {
  private static volatile Function<CallSettings, RequestHeaders> headers;

  private CallSettingsAccess() {}

  public static void set(Function<CallSettings, RequestHeaders> reader) {
    headers = reader;
  }

  static RequestHeaders headers(CallSettings settings) {
    return headers.apply(settings);
  }
}
