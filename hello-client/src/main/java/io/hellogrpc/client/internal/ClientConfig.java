package io.hellogrpc.client.internal;

import io.hellogrpc.api.CertificateAndKey;
import java.nio.file.Path;
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
   * roots, no certificate chain means no client certificate, no reload that nothing is reloaded.
   */
  public record Tls(
      byte[] trustedCertificates, byte[] certificateChain, byte[] privateKey, Reload reload) {}

  /**
   * Where changed TLS material comes from, and how often to look. A null source means that part
   * is not reloaded: absent, or given as a stream; of a file and a supplier for the same part, at
   * most one is set.
   */
  public record Reload(
      Duration checkEvery,
      Path trustedCertificatesFile,
      Supplier<String> trustedCertificates,
      Path certificateChainFile,
      Path privateKeyFile,
      Supplier<CertificateAndKey> certificateAndKey) {
    /** The suppliers, as messages name them. */
    public static final String TRUST_SUPPLIER = "trusted certificates supplier";

    public static final String CERTIFICATE_SUPPLIER = "client certificate supplier";
  }
}
