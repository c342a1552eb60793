package io.hellogrpc.server.internal;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.hellogrpc.api.internal.CertificateWatch;
import io.hellogrpc.api.internal.PemReload;
import io.hellogrpc.api.internal.ReloadingKeyManager;
import io.hellogrpc.api.internal.ReloadingTrustManager;
import io.hellogrpc.api.internal.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The transport security a {@link ServerConfig} asks for, as grpc credentials, and, when the
 * certificates are reloaded, the watch that hands changes to them.
 *
 * <p>Fixed material goes to grpc as PEM, which it reads itself. Material that may change goes as
 * a key manager and a trust manager of our own, which Netty asks at each handshake: grpc has no
 * other way to change a running server's certificate, and a new connection then gets the new one
 * while connections already open keep the one they started with.
 */
final class ServerTls {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");
  private static final String THREAD_NAME = "hello-server-certificates";

  private final ServerCredentials credentials;
  private final ServerConfig.Reload reload; // null when nothing reloads
  private final List<PemReload> reloads;

  private ServerTls(
      ServerCredentials credentials, ServerConfig.Reload reload, List<PemReload> reloads) {
    this.credentials = credentials;
    this.reload = reload;
    this.reloads = reloads;
  }

  static ServerTls of(ServerConfig.Tls tls) {
    if (tls == null) {
      return new ServerTls(InsecureServerCredentials.create(), null, List.of());
    }
    try {
      return tls.reload() == null ? new ServerTls(fixed(tls), null, List.of()) : reloading(tls);
    } catch (IOException e) {
      throw new UncheckedIOException("reading PEM from memory failed", e); // cannot happen
    }
  }

  private static ServerCredentials fixed(ServerConfig.Tls tls) throws IOException {
    TlsServerCredentials.Builder credentials =
        TlsServerCredentials.newBuilder()
            .keyManager(stream(tls.certificateChain()), stream(tls.privateKey()));
    if (tls.clientCa() != null) {
      credentials
          .trustManager(stream(tls.clientCa()))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return credentials.build();
  }

  private static ServerTls reloading(ServerConfig.Tls tls) throws IOException {
    ServerConfig.Reload reload = tls.reload();
    List<PemReload> reloads = new ArrayList<>();
    ReloadingKeyManager keyManager =
        new ReloadingKeyManager(
            TlsIdentity.parse(
                "tls certificate chain", tls.certificateChain(),
                "tls private key", tls.privateKey(), null));
    if (reload.certificateChainFile() != null) {
      reloads.add(
          PemReload.certificateFiles(
              "tls certificate chain", reload.certificateChainFile(),
              "tls private key", reload.privateKeyFile(),
              keyManager, tls.certificateChain(), tls.privateKey()));
    } else if (reload.certificateAndKey() != null) {
      reloads.add(
          PemReload.certificateSupplier(
              ServerConfig.Reload.SUPPLIER, reload.certificateAndKey(),
              keyManager, tls.certificateChain(), tls.privateKey()));
    }
    TlsServerCredentials.Builder credentials =
        TlsServerCredentials.newBuilder().keyManager(keyManager);
    if (reload.clientCaFile() != null) {
      ReloadingTrustManager trustManager =
          new ReloadingTrustManager("client CA certificates", tls.clientCa());
      reloads.add(
          PemReload.trustFile(
              "client CA certificates", reload.clientCaFile(), trustManager, tls.clientCa()));
      credentials.trustManager(trustManager);
    } else if (tls.clientCa() != null) {
      credentials.trustManager(stream(tls.clientCa()));
    }
    if (tls.clientCa() != null) {
      credentials.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return new ServerTls(credentials.build(), reload, List.copyOf(reloads));
  }

  /** grpc's credentials take PEM as a stream, which they read at once. */
  private static ByteArrayInputStream stream(byte[] pem) {
    return new ByteArrayInputStream(pem);
  }

  ServerCredentials credentials() {
    return credentials;
  }

  /** Starts checking for changed certificates; null, and no thread, when nothing reloads. */
  CertificateWatch startWatch() {
    if (reloads.isEmpty()) {
      return null;
    }
    return new CertificateWatch(logger, reloads, reload.checkEvery(), THREAD_NAME);
  }
}
