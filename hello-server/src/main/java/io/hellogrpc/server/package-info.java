/**
 * Serve HelloService from any Java application: {@link io.hellogrpc.server.HelloServer#builder()}
 * takes the handlers ({@link io.hellogrpc.server.HelloHandler},
 * {@link io.hellogrpc.server.ChannelHandler} or {@link io.hellogrpc.server.ChatHandler}) and starts
 * a server. TLS, tokens, health, reflection and connection limits are set on the same builder;
 * {@link io.hellogrpc.server.Caller} tells a handler who called: the request headers, the peer's
 * address, the principal a {@link io.hellogrpc.server.TokenAuthenticator} or, under mutual TLS, a
 * {@link io.hellogrpc.server.CertificatePrincipal} named, and the
 * {@link io.hellogrpc.server.ClientCertificate}. Nothing here exposes gRPC's generated code,
 * stream observers, or any other grpc-java type.
 */
package io.hellogrpc.server;
