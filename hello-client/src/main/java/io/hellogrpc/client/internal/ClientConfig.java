package io.hellogrpc.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What a HelloClient.Builder collected, validated. Exactly one of target, addresses and
 * inProcessName is set; other nullable fields mean "not set".
 */
public record ClientConfig(
    String target,
    List<String> addresses,
    String inProcessName,
    Duration helloDeadline,
    Duration chatDeadline,
    Duration chatIdleTimeout,
    int helloMaxAttempts,
    boolean waitForReady,
    int receiveBufferSize,
    int maxMessageSize,
    int maxConcurrentCallsPerConnection,
    Executor callbackExecutor,
    Tls tls,
    Supplier<String> token,
    boolean tokenIsFixed,
    boolean allowTokenOverPlaintext,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration shutdownGracePeriod,
    RequestHeaders headers) {

  /**
   * PEM material for TLS; each field may be null: no trusted certificates means the JVM's trusted
   * roots, no certificate chain means no client certificate.
   */
  public record Tls(byte[] trustedCertificates, byte[] certificateChain, byte[] privateKey) {}
}
