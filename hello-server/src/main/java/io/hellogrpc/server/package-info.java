/**
 * Serve HelloService from any Java application: {@link io.hellogrpc.server.HelloServer#builder()}
 * takes the handlers ({@link io.hellogrpc.server.HelloHandler},
 * {@link io.hellogrpc.server.ChannelHandler} or {@link io.hellogrpc.server.ChatHandler}) and starts
 * a server. Nothing here exposes gRPC's generated code or stream observers.
 */
package io.hellogrpc.server;
