package io.hellogrpc.api.internal;

import static io.hellogrpc.testing.TestCertificates.CA;
import static io.hellogrpc.testing.TestCertificates.CLIENT_CERT;
import static io.hellogrpc.testing.TestCertificates.CLIENT_KEY;
import static io.hellogrpc.testing.TestCertificates.RSA_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.RSA_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.RSA_SERVER_KEY_PKCS1;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY_ENCRYPTED;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY_SEC1;
import static io.hellogrpc.testing.TestCertificates.UNRELATED_KEY;
import static io.hellogrpc.testing.TestCertificates.UNRELATED_RSA_KEY;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class TlsIdentityTest {
  private static final String CONVERT =
      "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem";

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      byte[] chain, byte[] key) {
    return assertThatThrownBy(() -> TlsIdentity.check("chain", chain, "key", key, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsEcAndRsaKeysOfTheFirstCertificate() {
    for (byte[][] pair :
        new byte[][][] {
          {SERVER_CERT.bytes(), SERVER_KEY.bytes()},
          {CLIENT_CERT.bytes(), CLIENT_KEY.bytes()},
          {RSA_SERVER_CERT.bytes(), RSA_SERVER_KEY.bytes()},
          {concat(SERVER_CERT.bytes(), CA.bytes()), SERVER_KEY.bytes()}, // with its CA after it
        }) {
      assertThatCode(() -> TlsIdentity.check("chain", pair[0], "key", pair[1], null))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void refusesAKeyOfAnotherCertificateNamingBoth() {
    assertRefused(SERVER_CERT.bytes(), UNRELATED_KEY.bytes())
        .hasMessage(
            "key does not match the certificate 'CN=localhost' in chain: the certificate's public"
                + " key is not this key's; give the private key the certificate was issued for");
    assertRefused(SERVER_CERT.bytes(), CLIENT_KEY.bytes())
        .hasMessageStartingWith("key does not match the certificate 'CN=localhost' in chain");
    assertRefused(RSA_SERVER_CERT.bytes(), UNRELATED_RSA_KEY.bytes())
        .hasMessageStartingWith("key does not match the certificate 'CN=localhost' in chain");
    assertRefused(RSA_SERVER_CERT.bytes(), SERVER_KEY.bytes())
        .hasMessage(
            "key does not match the certificate 'CN=localhost' in chain: the certificate's key is"
                + " RSA, this one EC; give the private key the certificate was issued for");
  }

  @Test
  void refusesAChainThatDoesNotStartWithTheKeysCertificate() {
    assertRefused(concat(CA.bytes(), SERVER_CERT.bytes()), SERVER_KEY.bytes())
        .hasMessage(
            "chain must start with the certificate of key, but that is certificate 2 of 2"
                + " ('CN=localhost'): put it first, then the CAs that signed it");
  }

  @Test
  void aPkcs1OrSec1KeyGetsTheCommandThatConvertsIt() {
    assertRefused(RSA_SERVER_CERT.bytes(), RSA_SERVER_KEY_PKCS1.bytes())
        .hasMessage(
            "key is PKCS#1 (BEGIN RSA PRIVATE KEY), but a PKCS#8 key (BEGIN PRIVATE KEY) is"
                + " needed: convert it with `" + CONVERT + "`");
    assertRefused(SERVER_CERT.bytes(), SERVER_KEY_SEC1.bytes())
        .hasMessage(
            "key is SEC1 (BEGIN EC PRIVATE KEY), but a PKCS#8 key (BEGIN PRIVATE KEY) is needed:"
                + " convert it with `" + CONVERT + "`");
    assertThatThrownBy(
            () ->
                TlsIdentity.check(
                    "chain", SERVER_CERT.bytes(), "key", SERVER_KEY_SEC1.bytes(),
                    Path.of("/etc/hello/server.key")))
        .hasMessageEndingWith(
            "`openssl pkcs8 -topk8 -nocrypt -in /etc/hello/server.key -out"
                + " /etc/hello/server.pkcs8.pem`");
  }

  @Test
  void anEncryptedKeyIsNotSupported() {
    assertRefused(SERVER_CERT.bytes(), SERVER_KEY_ENCRYPTED.bytes())
        .hasMessage(
            "key is encrypted, which is not supported: decrypt it to PKCS#8 with `" + CONVERT
                + "` (openssl asks for the password) and protect the file instead");
    byte[] encryptedPkcs1 =
        ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertRefused(SERVER_CERT.bytes(), encryptedPkcs1)
        .hasMessageStartingWith("key is encrypted, which is not supported");
  }

  @Test
  void swappedOrMissingMaterialIsNamed() {
    assertRefused(SERVER_CERT.bytes(), CA.bytes())
        .hasMessage(
            "key holds no private key: a PKCS#8 key (BEGIN PRIVATE KEY) is needed, found BEGIN"
                + " CERTIFICATE");
    assertRefused(SERVER_KEY.bytes(), SERVER_KEY.bytes())
        .hasMessage("chain holds no certificate (BEGIN CERTIFICATE), found BEGIN PRIVATE KEY");
    assertRefused(pem("CERTIFICATE", "AAAA"), SERVER_KEY.bytes())
        .hasMessageStartingWith("chain holds a certificate that cannot be read: ");
    assertRefused(SERVER_CERT.bytes(), pem("PRIVATE KEY", "A"))
        .hasMessageStartingWith("key is not valid base64: ");
    assertRefused(SERVER_CERT.bytes(), pem("PRIVATE KEY", "AAAA"))
        .hasMessageStartingWith("key is not an RSA or EC private key in PKCS#8 (RSA: ");
  }

  private static byte[] pem(String label, String base64) {
    return ("-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
