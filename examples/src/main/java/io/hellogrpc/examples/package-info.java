/**
 * Runnable programs, packaged as {@code examples/target/hello-examples.jar}: the embedded demo, and
 * the Go tutorial's server and client replayed with the library. See {@link
 * io.hellogrpc.examples.Main} for the commands, and {@link io.hellogrpc.examples.EmbeddingExample}
 * and {@link io.hellogrpc.examples.NonBlockingExample} for the code the README shows.
 */
package io.hellogrpc.examples;
