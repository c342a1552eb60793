package io.hellogrpc.api.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of a server or client whose trusted CAs may change while it runs. Netty asks
 * a trust manager at every handshake, so each new connection is checked against what {@link #use}
 * was given last. The checking itself is the JDK's, as when grpc reads CA certificates itself:
 * the same path validation, the same host name check on the client, the same exceptions.
 */
public final class ReloadingTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NONE = new X509Certificate[0];

  /** The JDK's trust manager for these CAs, which does the checking. */
  private record Roots(List<X509Certificate> certificates, X509ExtendedTrustManager checker) {}

  private volatile Roots roots;

  /** Trusts the CA certificates in {@code pem}; see {@link #use}. */
  public ReloadingTrustManager(String what, byte[] pem) {
    use(what, pem);
  }

  /**
   * Trusts the CA certificates in {@code pem}, instead of those before, from the next handshake on.
   *
   * @param what what to call the certificates in messages: the setting, and the file if any
   * @throws IllegalArgumentException naming {@code what}, if {@code pem} holds no certificate or
   *     one that cannot be read
   */
  public void use(String what, byte[] pem) {
    List<X509Certificate> certificates = List.copyOf(TlsIdentity.certificates(what, pem));
    roots = new Roots(certificates, jdkTrustManager(certificates));
  }

  /** The CA certificates new handshakes trust. */
  public List<X509Certificate> trusted() {
    return roots.certificates();
  }

  private static X509ExtendedTrustManager jdkTrustManager(List<X509Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("this JVM's TrustManagerFactory has no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) { // an empty store in memory: cannot fail
      throw new IllegalStateException("this JVM cannot make a trust manager: " + e, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    roots.checker().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    roots.checker().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    roots.checker().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    roots.checker().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    roots.checker().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    roots.checker().checkServerTrusted(chain, authType, engine);
  }

  /**
   * None. A server's Netty reads this once, when grpc builds its TLS context, to name the CAs it
   * trusts in its request for a client certificate; names that cannot change would go stale at
   * the first change, and a client choosing its certificate by them would then send none. Naming
   * none lets every client send its certificate, and the check above decides.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NONE;
  }
}
