package io.hellogrpc.server.internal;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The transport security a {@link ServerConfig} asks for, as grpc credentials. */
final class ServerTls {
  private ServerTls() {}

  static ServerCredentials credentials(ServerConfig.Tls tls) {
    if (tls == null) {
      return InsecureServerCredentials.create();
    }
    try {
      TlsServerCredentials.Builder credentials =
          TlsServerCredentials.newBuilder()
              .keyManager(
                  new ByteArrayInputStream(tls.certificateChain()),
                  new ByteArrayInputStream(tls.privateKey()));
      if (tls.clientCa() != null) {
        credentials
            .trustManager(new ByteArrayInputStream(tls.clientCa()))
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return credentials.build();
    } catch (IOException e) {
      throw new UncheckedIOException("reading PEM from memory failed", e); // cannot happen
    }
  }
}
