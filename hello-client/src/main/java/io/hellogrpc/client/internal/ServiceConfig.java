package io.hellogrpc.client.internal;

import io.hellogrpc.api.internal.HelloMethods;
import java.util.List;
import java.util.Map;

/**
 * The client's default gRPC service config: round-robin over every address the target resolves
 * to, so new calls and sessions spread over the replicas; and, if asked for, retries for
 * {@code Hello} on {@code UNAVAILABLE}. Streams never get a retry policy: a retried
 * {@code Channel} would replay messages the server may already have answered.
 */
final class ServiceConfig {
  static final String INITIAL_BACKOFF = "0.1s";
  static final String MAX_BACKOFF = "1s";

  private ServiceConfig() {}

  /** As grpc parses JSON: numbers are doubles. */
  static Map<String, Object> of(int helloMaxAttempts) {
    List<Object> roundRobin = List.of(Map.of("round_robin", Map.of()));
    if (helloMaxAttempts <= 1) {
      return Map.of("loadBalancingConfig", roundRobin);
    }
    Map<String, Object> helloRetries =
        Map.of(
            "name",
            List.of(
                Map.of(
                    "service", HelloMethods.SERVICE_NAME,
                    "method", HelloMethods.HELLO.getBareMethodName())),
            "retryPolicy",
            Map.of(
                "maxAttempts", (double) helloMaxAttempts,
                "initialBackoff", INITIAL_BACKOFF,
                "maxBackoff", MAX_BACKOFF,
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE")));
    return Map.of(
        "loadBalancingConfig", roundRobin,
        "methodConfig", List.of(helloRetries));
  }
}
