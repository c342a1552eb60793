/**
 * JMH microbenchmarks of the pieces on a session's hot path, each measured alone: the codec
 * ({@link io.hellogrpc.benchmarks.jmh.CodecBenchmark}), the inbound buffer with its flow control
 * ({@link io.hellogrpc.benchmarks.jmh.InboundQueueBenchmark}) and the outbound gate
 * ({@link io.hellogrpc.benchmarks.jmh.OutboundGateBenchmark}). Run with
 * {@code java -jar benchmarks/target/hello-benchmarks.jar jmh [JMH options]}; the build compiles
 * them and never runs them.
 */
package io.hellogrpc.benchmarks.jmh;
