package io.hellogrpc.server.internal;

import io.grpc.Context;

/**
 * The authenticated principal rides in the call's grpc {@link Context}, which every handler runs
 * in, so handlers see it without any grpc type in their signatures.
 */
public final class Principals {
  static final Context.Key<String> KEY = Context.key("hello-grpc principal");

  private Principals() {}

  /** The principal of the call whose context is current on this thread, or null. */
  public static String current() {
    return KEY.get();
  }

  static String of(Context context) {
    return KEY.get(context);
  }
}
