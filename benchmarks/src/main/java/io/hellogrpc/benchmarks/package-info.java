/**
 * Benchmarks of hello-grpc beside plain grpc-java, as {@code /work/shared/PERFORMANCE.md} defines
 * them: {@code java -jar benchmarks/target/hello-benchmarks.jar <workload>}.
 *
 * <p>The client side runs in the JVM that was launched; the servers run in a child JVM
 * ({@link io.hellogrpc.benchmarks.BenchmarkServer}) controlled over its stdin and stdout by
 * {@link io.hellogrpc.benchmarks.ServerProcess}. Each workload is one class; each implementation
 * under test is one {@link io.hellogrpc.benchmarks.Contender}.
 */
package io.hellogrpc.benchmarks;
