/**
 * Call a HelloService from any Java application: {@link io.hellogrpc.client.HelloClient} for the
 * unary {@code Hello}, and {@link io.hellogrpc.client.ChatSession} for the bidirectional
 * {@code Channel} stream as blocking queues or callbacks; {@link io.hellogrpc.client.CallSettings}
 * gives one call or session its own deadline, idle timeout and headers. Nothing here exposes gRPC's generated code
 * or stream observers.
 */
package io.hellogrpc.client;
