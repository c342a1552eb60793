/**
 * JUnit Jupiter support for testing a host application against HelloService without writing a
 * server: {@link io.hellogrpc.testing.junit.HelloTestServer} starts an in-process
 * {@code HelloServer} for each test (or each class), hands the test a connected
 * {@code HelloClient}, records what the server received
 * ({@link io.hellogrpc.testing.junit.RecordedCall}, {@link io.hellogrpc.testing.junit.RecordedSession}),
 * plays scripted faults, and fails a test that leaves a session or a client open.
 *
 * <p>The package is {@code io.hellogrpc.testing.junit}, in the module
 * {@code io.hellogrpc.testing}; what is not API lives in {@code io.hellogrpc.testing.junit.internal}.
 */
package io.hellogrpc.testing.junit;
