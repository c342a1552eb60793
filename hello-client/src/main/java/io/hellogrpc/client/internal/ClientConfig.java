package io.hellogrpc.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;

/** What a HelloClient.Builder collected, validated. Nullable fields mean "not set". */
public record ClientConfig(
    String target,
    String inProcessName,
    Duration helloDeadline,
    Duration chatDeadline,
    int receiveBufferSize,
    int maxMessageSize,
    Executor callbackExecutor) {}
