package io.hellogrpc.client.internal;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import io.hellogrpc.api.internal.Tokens;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Sends {@code authorization: Bearer <token>} with every call, and never over a connection without
 * privacy unless the application allowed it: the check is per call, on the connection the call
 * actually got, so no address or resolver can talk it into sending the token in the clear.
 */
final class BearerToken extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Supplier<String> tokens;
  private final boolean fixed;
  private final boolean allowPlaintext;
  private final Executor supplierExecutor;

  /**
   * @param fixed the supplier returns a constant, so it runs inline; any other may be slow and
   *     runs on {@code supplierExecutor}, never on a transport thread
   */
  BearerToken(
      Supplier<String> tokens, boolean fixed, boolean allowPlaintext, Executor supplierExecutor) {
    this.tokens = tokens;
    this.fixed = fixed;
    this.allowPlaintext = allowPlaintext;
    this.supplierExecutor = supplierExecutor;
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo info, Executor appExecutor, MetadataApplier applier) {
    if (!allowPlaintext && info.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription(
              "the token was not sent: the connection to " + info.getAuthority()
                  + " has no TLS (use tls(), or allowTokenOverPlaintext() on a trusted network)"));
      return;
    }
    if (fixed) {
      apply(applier);
      return;
    }
    try {
      supplierExecutor.execute(() -> apply(applier));
    } catch (RejectedExecutionException e) {
      applier.fail(
          Status.UNAVAILABLE
              .withDescription("the callback executor refused to run the token supplier")
              .withCause(e));
    }
  }

  private void apply(MetadataApplier applier) {
    String token;
    try {
      token = tokens.get();
    } catch (RuntimeException | Error e) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription("the token supplier failed: " + e).withCause(e));
      return;
    }
    String problem = Tokens.problem(token);
    if (problem != null) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription("the token from the supplier " + problem));
      return;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    applier.apply(headers);
  }
}
