package io.hellogrpc.api.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a certificate chain and its private key (PEM) when a builder is given them. grpc takes
 * a key that belongs to another certificate without a word, and then every handshake fails; and
 * it reports a key in a format it cannot read as "not a valid private key", not saying which
 * format it needs or how to get there.
 */
public final class TlsIdentity {
  /** The key types grpc's TLS (BoringSSL, through Netty) can use. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

  private TlsIdentity() {}

  /**
   * @param chainWhat what to call the chain in messages: the setting, and the file if there is one
   * @param keyWhat the same for the key
   * @param keyFile the file the key was read from, named in the conversion command; null for a
   *     stream
   * @throws IllegalArgumentException naming the problem and what to do: a key that is not
   *     unencrypted PKCS#8, an RSA or EC key, or that is not the key of the chain's first
   *     certificate; a chain without certificates
   */
  public static void check(
      String chainWhat, byte[] chain, String keyWhat, byte[] key, Path keyFile) {
    parse(chainWhat, chain, keyWhat, key, keyFile);
  }

  /**
   * A private key and the certificate chain it belongs to, checked.
   *
   * @param chain the server's or client's certificate first, then the CAs that signed it
   */
  public record KeyAndChain(PrivateKey key, X509Certificate[] chain) {
    /** The first certificate: the one of the key. */
    public X509Certificate leaf() {
      return chain[0];
    }
  }

  /**
   * As {@link #check}, returning what it read.
   *
   * @throws IllegalArgumentException as {@link #check} does
   */
  public static KeyAndChain parse(
      String chainWhat, byte[] chain, String keyWhat, byte[] key, Path keyFile) {
    PrivateKey privateKey = privateKey(keyWhat, key, keyFile);
    List<X509Certificate> certificates = certificates(chainWhat, chain);
    X509Certificate leaf = certificates.get(0);
    if (matches(privateKey, leaf.getPublicKey())) {
      return new KeyAndChain(privateKey, certificates.toArray(new X509Certificate[0]));
    }
    for (int i = 1; i < certificates.size(); i++) {
      if (matches(privateKey, certificates.get(i).getPublicKey())) {
        throw new IllegalArgumentException(
            chainWhat + " must start with the certificate of " + keyWhat + ", but that is"
                + " certificate " + (i + 1) + " of " + certificates.size() + " ("
                + subject(certificates.get(i)) + "): put it first, then the CAs that signed it");
      }
    }
    throw new IllegalArgumentException(
        keyWhat + " does not match the certificate " + subject(leaf) + " in " + chainWhat + ": "
            + (privateKey.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())
                ? "the certificate's public key is not this key's"
                : "the certificate's key is " + leaf.getPublicKey().getAlgorithm()
                    + ", this one " + privateKey.getAlgorithm())
            + "; give the private key the certificate was issued for");
  }

  private static PrivateKey privateKey(String keyWhat, byte[] pem, Path keyFile) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    String convert = conversionCommand(keyFile);
    // PKCS#8's own encryption, or the Proc-Type header of an encrypted PKCS#1 or SEC1 key
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("4,ENCRYPTED")) {
      throw new IllegalArgumentException(
          keyWhat + " is encrypted, which is not supported: decrypt it to PKCS#8 with `" + convert
              + "` (openssl asks for the password) and protect the file instead");
    }
    List<Pem.Block> blocks = Pem.blocks(pem);
    for (Pem.Block block : blocks) {
      String format =
          switch (block.label()) {
            case "RSA PRIVATE KEY" -> "PKCS#1";
            case "EC PRIVATE KEY" -> "SEC1";
            default -> null;
          };
      if (format != null) {
        throw new IllegalArgumentException(
            keyWhat + " is " + format + " (BEGIN " + block.label() + "), but a PKCS#8 key (BEGIN"
                + " PRIVATE KEY) is needed: convert it with `" + convert + "`");
      }
    }
    Pem.Block block =
        blocks.stream()
            .filter(b -> b.label().equals("PRIVATE KEY"))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        keyWhat + " holds no private key: a PKCS#8 key (BEGIN PRIVATE KEY) is"
                            + " needed, found " + labels(blocks)));
    PKCS8EncodedKeySpec spec;
    try {
      spec = new PKCS8EncodedKeySpec(block.der());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(keyWhat + " is not valid base64: " + e.getMessage(), e);
    }
    List<String> failures = new ArrayList<>();
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException e) {
        failures.add(algorithm + ": " + e.getMessage());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no " + algorithm + " KeyFactory", e);
      }
    }
    throw new IllegalArgumentException(
        keyWhat + " is not an RSA or EC private key in PKCS#8 (" + String.join("; ", failures)
            + ")");
  }

  /** The openssl command that turns the key into unencrypted PKCS#8, next to the original. */
  private static String conversionCommand(Path keyFile) {
    String in = keyFile == null ? "key.pem" : keyFile.toString();
    int dot = in.lastIndexOf('.');
    String stem = dot > in.lastIndexOf('/') ? in.substring(0, dot) : in;
    return "openssl pkcs8 -topk8 -nocrypt -in " + in + " -out " + stem + ".pkcs8.pem";
  }

  /**
   * The certificates in {@code pem}, in order.
   *
   * @throws IllegalArgumentException naming {@code chainWhat}, if one cannot be read or there is
   *     none
   */
  public static List<X509Certificate> certificates(String chainWhat, byte[] pem) {
    List<Pem.Block> blocks = Pem.blocks(pem);
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Pem.Block block : blocks) {
        if (block.label().equals("CERTIFICATE")) {
          certificates.add(
              (X509Certificate)
                  factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (CertificateException | IllegalArgumentException e) { // not X.509, or not base64
      throw new IllegalArgumentException(
          chainWhat + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          chainWhat + " holds no certificate (BEGIN CERTIFICATE), found " + labels(blocks));
    }
    return certificates;
  }

  private static String labels(List<Pem.Block> blocks) {
    return blocks.isEmpty()
        ? "no PEM block"
        : String.join(", ", blocks.stream().map(b -> "BEGIN " + b.label()).toList());
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: RSA keys share their modulus; an
   * EC key is checked by signing with it, since the JDK offers no way to derive its public point.
   */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
      return rsa.getModulus().equals(rsaPublic.getModulus());
    }
    try {
      byte[] challenge = "hello-grpc key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) { // keys on different curves, say
      return false;
    }
  }

  private static String subject(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }
}
