package io.hellogrpc.api.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of a server or client whose certificate may change while it runs. Netty asks a
 * key manager at every handshake, so each new connection presents what {@link #use} was given
 * last, and connections already open keep theirs.
 *
 * <p>Netty first chooses an alias, then asks for the chain and the key by that alias, in separate
 * calls; each certificate gets an alias of its own, so that a handshake during a change never gets
 * the new chain with the old key. It presents its one certificate whatever CAs the peer names: a
 * server whose trusted CAs change may still name the old ones, and the peer decides anyway.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private record Generation(String alias, TlsIdentity.KeyAndChain material) {}

  private volatile Generation current;
  private volatile Generation previous; // for a handshake that chose its alias just before a change
  private long generations; // guarded by this

  public ReloadingKeyManager(TlsIdentity.KeyAndChain initial) {
    use(initial);
  }

  /** Presents {@code material} from the next handshake on. */
  public synchronized void use(TlsIdentity.KeyAndChain material) {
    previous = current;
    current = new Generation("hello-grpc-" + ++generations, material);
  }

  /** What new handshakes present. */
  public TlsIdentity.KeyAndChain current() {
    return current.material();
  }

  private Generation byAlias(String alias) {
    Generation now = current;
    if (now.alias().equals(alias)) {
      return now;
    }
    Generation before = previous;
    return before != null && before.alias().equals(alias) ? before : null;
  }

  /**
   * The current alias if its key is of {@code keyType}: {@code "RSA"}, {@code "EC"}, or, as the
   * JDK and Netty name TLS 1.2 suites, the key's algorithm and then the signer's, as in
   * {@code "EC_RSA"}.
   */
  private String aliasFor(String keyType) {
    Generation now = current;
    String algorithm = now.material().key().getAlgorithm();
    return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_"))
        ? now.alias()
        : null;
  }

  private String aliasFor(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        String alias = aliasFor(keyType);
        if (alias != null) {
          return alias;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Generation generation = byAlias(alias);
    return generation == null ? null : generation.material().chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Generation generation = byAlias(alias);
    return generation == null ? null : generation.material().key();
  }
}
