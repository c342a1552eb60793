package io.hellogrpc.client.internal;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
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
 * The transport security a {@link ClientConfig} asks for, as grpc credentials that every
 * connection of the client shares, and, when certificates are reloaded, the watch that hands
 * changes to them.
 *
 * <p>Fixed material goes to grpc as PEM, which it reads itself. Material that may change goes as
 * a key manager or a trust manager of our own, which Netty asks at each handshake: the client's
 * next connection, a new one or a reconnection, gets what changed, while connections already open
 * keep what they started with.
 */
final class ClientTls {
  private static final Logger logger = Logger.getLogger("io.hellogrpc.client");
  private static final String THREAD_NAME = "hello-client-certificates";

  private final ChannelCredentials credentials;
  private final ClientConfig.Reload reload; // null when nothing reloads
  private final List<PemReload> reloads;

  private ClientTls(
      ChannelCredentials credentials, ClientConfig.Reload reload, List<PemReload> reloads) {
    this.credentials = credentials;
    this.reload = reload;
    this.reloads = reloads;
  }

  static ClientTls of(ClientConfig.Tls tls) {
    if (tls == null) {
      return new ClientTls(InsecureChannelCredentials.create(), null, List.of());
    }
    try {
      return tls.reload() == null ? new ClientTls(fixed(tls), null, List.of()) : reloading(tls);
    } catch (IOException e) {
      throw new UncheckedIOException("reading PEM from memory failed", e); // cannot happen
    }
  }

  private static ChannelCredentials fixed(ClientConfig.Tls tls) throws IOException {
    TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
    if (tls.trustedCertificates() != null) {
      credentials.trustManager(stream(tls.trustedCertificates()));
    }
    if (tls.certificateChain() != null) {
      credentials.keyManager(stream(tls.certificateChain()), stream(tls.privateKey()));
    }
    return credentials.build();
  }

  private static ClientTls reloading(ClientConfig.Tls tls) throws IOException {
    ClientConfig.Reload reload = tls.reload();
    List<PemReload> reloads = new ArrayList<>();
    TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
    if (reload.trustedCertificatesFile() != null || reload.trustedCertificates() != null) {
      ReloadingTrustManager trustManager =
          new ReloadingTrustManager("trusted certificates", tls.trustedCertificates());
      reloads.add(
          reload.trustedCertificatesFile() != null
              ? PemReload.trustFile(
                  "trusted certificates", reload.trustedCertificatesFile(),
                  trustManager, tls.trustedCertificates())
              : PemReload.trustSupplier(
                  ClientConfig.Reload.TRUST_SUPPLIER, reload.trustedCertificates(),
                  trustManager, tls.trustedCertificates()));
      credentials.trustManager(trustManager);
    } else if (tls.trustedCertificates() != null) {
      credentials.trustManager(stream(tls.trustedCertificates()));
    }
    if (reload.certificateChainFile() != null || reload.certificateAndKey() != null) {
      ReloadingKeyManager keyManager =
          new ReloadingKeyManager(
              TlsIdentity.parse(
                  "client certificate chain", tls.certificateChain(),
                  "client private key", tls.privateKey(), null));
      reloads.add(
          reload.certificateChainFile() != null
              ? PemReload.certificateFiles(
                  "client certificate chain", reload.certificateChainFile(),
                  "client private key", reload.privateKeyFile(),
                  keyManager, tls.certificateChain(), tls.privateKey())
              : PemReload.certificateSupplier(
                  ClientConfig.Reload.CERTIFICATE_SUPPLIER, reload.certificateAndKey(),
                  keyManager, tls.certificateChain(), tls.privateKey()));
      credentials.keyManager(keyManager);
    } else if (tls.certificateChain() != null) {
      credentials.keyManager(stream(tls.certificateChain()), stream(tls.privateKey()));
    }
    return new ClientTls(credentials.build(), reload, List.copyOf(reloads));
  }

  /** grpc's credentials take PEM as a stream, which they read at once. */
  private static ByteArrayInputStream stream(byte[] pem) {
    return new ByteArrayInputStream(pem);
  }

  ChannelCredentials credentials() {
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
