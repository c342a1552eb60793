/**
 * Types that the hello-grpc server and client share: how a call or a chat session ended
 * ({@link io.hellogrpc.api.ChatEnd}, {@link io.hellogrpc.api.StatusCode}) and the exception that
 * carries a failure ({@link io.hellogrpc.api.HelloException}); and a certificate with its key for
 * servers and clients that reload theirs ({@link io.hellogrpc.api.CertificateAndKey}).
 *
 * <p>The wire contract lives beside them: {@code hello/v1/hello.proto} is packaged in this jar, and
 * the classes generated from it are in {@code io.hellogrpc.api.proto}. Host applications need
 * neither; they are there for other languages and for tools.
 */
package io.hellogrpc.api;
