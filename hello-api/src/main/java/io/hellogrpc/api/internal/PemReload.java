package io.hellogrpc.api.internal;

import io.hellogrpc.api.CertificateAndKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One piece of TLS material that may change while a server or client runs, and how to look for
 * the change: a certificate chain and its key, or trusted CA certificates, from files or from the
 * application's supplier.
 *
 * <p>{@link #check} reads it all again, every time: PEM files are a few kilobytes, and comparing
 * their content catches what comparing modification times misses, such as two writes within the
 * file system's clock tick, or a Kubernetes secret volume swapping its directory symlink to files
 * older than the ones before. Content that is the same as at the last check is left alone. New
 * content is parsed and checked as the builders check it (a key that does not match its
 * certificate, a file cut short, garbage) and, if it is usable, handed to the key or trust manager
 * for new connections with an INFO line; if it is not, a WARNING says why and what stays in use.
 * Each content is reported once, however many checks see it.
 */
public abstract class PemReload {
  private final String what;
  private String lastSeen; // the fingerprint of the content, or what made reading it fail

  private PemReload(String what, byte[]... initial) {
    this.what = what;
    this.lastSeen = fingerprint(List.of(initial));
  }

  /** What the piece is, for log lines: the setting and its files, or its supplier. */
  public final String what() {
    return what;
  }

  /**
   * Reads the content now.
   *
   * @return the content, or null if it was being replaced while read
   * @throws Exception if it cannot be read: the message says why
   */
  abstract List<byte[]> read() throws Exception;

  /**
   * Uses {@code content} for new connections.
   *
   * @return what new connections present or trust now, for the log
   * @throws IllegalArgumentException if it is not usable, saying why
   */
  abstract String use(List<byte[]> content);

  /** What new connections present or trust, while new content is refused. */
  abstract String inUse();

  /** Reads the content and, if it changed since the last check, uses it or says why not. */
  public final void check(Logger logger) {
    List<byte[]> content;
    try {
      content = read();
    } catch (Exception e) {
      // A supplier's failure names it already; a file's is the JDK's, naming the file only.
      String failure =
          e instanceof IllegalArgumentException ? e.getMessage() : "cannot read " + what + ": " + e;
      if (!failure.equals(lastSeen)) {
        lastSeen = failure;
        logger.warning(failure + "; new connections keep " + inUse());
      }
      return;
    }
    if (content == null) {
      return;
    }
    String fingerprint = fingerprint(content);
    if (fingerprint.equals(lastSeen)) {
      return;
    }
    lastSeen = fingerprint;
    try {
      String now = use(content);
      logger.info(what + " changed: new connections " + now);
    } catch (IllegalArgumentException e) {
      logger.warning(
          what + " changed but cannot be used: " + e.getMessage() + "; new connections keep "
              + inUse());
    }
  }

  /**
   * A certificate chain and its private key in two files, as {@code tls(Path, Path)} and
   * {@code clientCertificate(Path, Path)} take them.
   *
   * @param chainWhat the setting that names the chain, such as "tls certificate chain"
   * @param keyWhat the same for the key
   * @param initial what the builder read, so that the first check finds no change
   */
  public static PemReload certificateFiles(
      String chainWhat,
      Path chainFile,
      String keyWhat,
      Path keyFile,
      ReloadingKeyManager keyManager,
      byte[] initialChain,
      byte[] initialKey) {
    String chainNamed = chainWhat + " " + chainFile;
    String keyNamed = keyWhat + " " + keyFile;
    return new PemReload(chainNamed + " and " + keyNamed, initialChain, initialKey) {
      @Override
      List<byte[]> read() throws IOException {
        byte[] chain = Files.readAllBytes(chainFile);
        byte[] key = Files.readAllBytes(keyFile);
        // Two files cannot be read at one instant: if the chain changed meanwhile, the key may be
        // of either version. Look again at the next check, when the replacement is over.
        return Arrays.equals(chain, Files.readAllBytes(chainFile)) ? List.of(chain, key) : null;
      }

      @Override
      String use(List<byte[]> content) {
        return useCertificate(
            keyManager, chainNamed, content.get(0), keyNamed, content.get(1), keyFile);
      }

      @Override
      String inUse() {
        return presenting(keyManager);
      }
    };
  }

  /**
   * A certificate chain and its private key from the application, as
   * {@code tls(Supplier<CertificateAndKey>)} takes them.
   *
   * @param what the setting, such as "tls(Supplier)"
   */
  public static PemReload certificateSupplier(
      String what,
      Supplier<CertificateAndKey> supplier,
      ReloadingKeyManager keyManager,
      byte[] initialChain,
      byte[] initialKey) {
    return new PemReload(what, initialChain, initialKey) {
      @Override
      List<byte[]> read() {
        CertificateAndKey pair = ask(what, supplier);
        return List.of(ascii(pair.certificateChain()), ascii(pair.privateKey()));
      }

      @Override
      String use(List<byte[]> content) {
        return useCertificate(
            keyManager, what + "'s certificate chain", content.get(0),
            what + "'s private key", content.get(1), null);
      }

      @Override
      String inUse() {
        return presenting(keyManager);
      }
    };
  }

  /** Trusted CA certificates in a file, as {@code trustedCertificates(Path)} takes them. */
  public static PemReload trustFile(
      String what, Path file, ReloadingTrustManager trustManager, byte[] initial) {
    String named = what + " " + file;
    return new PemReload(named, initial) {
      @Override
      List<byte[]> read() throws IOException {
        return List.of(Files.readAllBytes(file));
      }

      @Override
      String use(List<byte[]> content) {
        return useTrust(trustManager, named, content.get(0));
      }

      @Override
      String inUse() {
        return trusting(trustManager);
      }
    };
  }

  /** Trusted CA certificates from the application, as PEM text. */
  public static PemReload trustSupplier(
      String what, Supplier<String> supplier, ReloadingTrustManager trustManager, byte[] initial) {
    return new PemReload(what, initial) {
      @Override
      List<byte[]> read() {
        return List.of(ascii(ask(what, supplier)));
      }

      @Override
      String use(List<byte[]> content) {
        return useTrust(trustManager, what + "'s certificates", content.get(0));
      }

      @Override
      String inUse() {
        return trusting(trustManager);
      }
    };
  }

  /**
   * What {@code supplier} gives now.
   *
   * @throws IllegalArgumentException naming {@code what}, if it throws or gives null
   */
  public static <T> T ask(String what, Supplier<T> supplier) {
    T answer;
    try {
      answer = supplier.get();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(what + " threw " + e, e);
    }
    if (answer == null) {
      throw new IllegalArgumentException(what + " gave null");
    }
    return answer;
  }

  /** PEM text as the bytes the rest reads: PEM is ASCII. */
  public static byte[] ascii(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  private static String useCertificate(
      ReloadingKeyManager keyManager,
      String chainWhat,
      byte[] chain,
      String keyWhat,
      byte[] key,
      Path keyFile) {
    Pem.requireComplete(chainWhat, chain);
    Pem.requireComplete(keyWhat, key);
    keyManager.use(TlsIdentity.parse(chainWhat, chain, keyWhat, key, keyFile));
    return presenting(keyManager);
  }

  private static String useTrust(ReloadingTrustManager trustManager, String what, byte[] pem) {
    Pem.requireComplete(what, pem);
    trustManager.use(what, pem);
    return trusting(trustManager);
  }

  private static String presenting(ReloadingKeyManager keyManager) {
    X509Certificate leaf = keyManager.current().leaf();
    return "presenting " + describe(leaf) + " (serial " + leaf.getSerialNumber().toString(16)
        + ", valid until " + leaf.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate()
        + ")";
  }

  private static String trusting(ReloadingTrustManager trustManager) {
    List<X509Certificate> trusted = trustManager.trusted();
    return "trusting " + String.join(", ", trusted.stream().map(PemReload::describe).toList());
  }

  private static String describe(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }

  private static String fingerprint(List<byte[]> content) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (byte[] part : content) {
        Objects.requireNonNull(part, "content");
        // The length first, so that no two ways of splitting the same bytes look alike.
        sha256.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) ':');
        sha256.update(part);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
