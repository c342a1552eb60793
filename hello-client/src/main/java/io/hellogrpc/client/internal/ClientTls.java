package io.hellogrpc.client.internal;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The transport security a {@link ClientConfig} asks for, as grpc credentials. */
final class ClientTls {
  private ClientTls() {}

  static ChannelCredentials credentials(ClientConfig.Tls tls) {
    if (tls == null) {
      return InsecureChannelCredentials.create();
    }
    try {
      TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
      if (tls.trustedCertificates() != null) {
        credentials.trustManager(new ByteArrayInputStream(tls.trustedCertificates()));
      }
      if (tls.certificateChain() != null) {
        credentials.keyManager(
            new ByteArrayInputStream(tls.certificateChain()),
            new ByteArrayInputStream(tls.privateKey()));
      }
      return credentials.build();
    } catch (IOException e) {
      throw new UncheckedIOException("reading PEM from memory failed", e); // cannot happen
    }
  }
}
