package io.hellogrpc.api.internal;

import static io.hellogrpc.testing.TestCertificates.CA;
import static io.hellogrpc.testing.TestCertificates.NEXT_CA;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.UNRELATED_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SecretVolume;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a check finds when TLS material changed, or did not, and what stays in use. */
class PemReloadTest {
  private static final Logger LOGGER = Logger.getLogger("io.hellogrpc.test.reload");
  private static final BigInteger SERVER_SERIAL = BigInteger.valueOf(0x02);
  private static final BigInteger NEXT_SERVER_SERIAL = BigInteger.valueOf(0x11);
  private static final String KEEP_OLD =
      "new connections keep presenting 'CN=localhost' (serial 2, valid until 2120-01-01)";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path dir;

  private final ReloadingKeyManager keyManager =
      new ReloadingKeyManager(
          TlsIdentity.parse("chain", SERVER_CERT.bytes(), "key", SERVER_KEY.bytes(), null));

  private PemReload filesIn(SecretVolume volume) {
    return PemReload.certificateFiles(
        "tls certificate chain", volume.file("tls.crt"),
        "tls private key", volume.file("tls.key"),
        keyManager, SERVER_CERT.bytes(), SERVER_KEY.bytes());
  }

  private SecretVolume volume(byte[] chain, byte[] key) {
    return SecretVolume.create(dir, Map.of("tls.crt", chain, "tls.key", key));
  }

  private BigInteger presented() {
    return keyManager.current().leaf().getSerialNumber();
  }

  private List<String> lines() {
    return logs.records().stream()
        .filter(r -> r.getLoggerName().equals(LOGGER.getName()))
        .map(r -> r.getLevel() + " " + r.getMessage())
        .toList();
  }

  @Test
  void unchangedFilesChangeNothingAndLogNothing() {
    SecretVolume volume = volume(SERVER_CERT.bytes(), SERVER_KEY.bytes());
    PemReload reload = filesIn(volume);

    reload.check(LOGGER);
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(SERVER_SERIAL);
    assertThat(lines()).isEmpty();
  }

  @Test
  void aNewPairIsUsedFromTheNextHandshakeAndLoggedOnce() {
    SecretVolume volume = volume(SERVER_CERT.bytes(), SERVER_KEY.bytes());
    PemReload reload = filesIn(volume);

    volume.update(Map.of("tls.crt", NEXT_SERVER_CERT.bytes(), "tls.key", NEXT_SERVER_KEY.bytes()));
    reload.check(LOGGER);
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(NEXT_SERVER_SERIAL);
    assertThat(lines())
        .containsExactly(
            "INFO tls certificate chain " + volume.file("tls.crt") + " and tls private key "
                + volume.file("tls.key") + " changed: new connections presenting 'CN=localhost'"
                + " (serial 11, valid until 2120-01-01)");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedOnceAndTheOldPairStaysUntilAGoodOneComes() {
    SecretVolume volume = volume(SERVER_CERT.bytes(), SERVER_KEY.bytes());
    PemReload reload = filesIn(volume);

    volume.update(Map.of("tls.crt", NEXT_SERVER_CERT.bytes(), "tls.key", UNRELATED_KEY.bytes()));
    reload.check(LOGGER);
    reload.check(LOGGER); // the same bad pair: said once

    assertThat(presented()).isEqualTo(SERVER_SERIAL);
    assertThat(lines())
        .containsExactly(
            "WARNING tls certificate chain " + volume.file("tls.crt") + " and tls private key "
                + volume.file("tls.key") + " changed but cannot be used: tls private key "
                + volume.file("tls.key") + " does not match the certificate 'CN=localhost' in tls"
                + " certificate chain " + volume.file("tls.crt") + ": the certificate's public key"
                + " is not this key's; give the private key the certificate was issued for; "
                + KEEP_OLD);

    logs.clear();
    volume.update(Map.of("tls.crt", NEXT_SERVER_CERT.bytes(), "tls.key", NEXT_SERVER_KEY.bytes()));
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(NEXT_SERVER_SERIAL);
    assertThat(lines()).hasSize(1).allMatch(line -> line.startsWith("INFO "));
  }

  @Test
  void aPairWrittenInPlaceIsRefusedWhileHalfWrittenAndTakenWhenWhole() throws Exception {
    Path chain = Files.write(dir.resolve("tls.crt"), SERVER_CERT.bytes());
    Path key = Files.write(dir.resolve("tls.key"), SERVER_KEY.bytes());
    PemReload reload =
        PemReload.certificateFiles(
            "tls certificate chain", chain, "tls private key", key,
            keyManager, SERVER_CERT.bytes(), SERVER_KEY.bytes());

    // The chain is written, the key only half: a check in between sees both.
    byte[] nextKey = NEXT_SERVER_KEY.bytes();
    Files.write(chain, NEXT_SERVER_CERT.bytes());
    Files.write(key, Arrays.copyOf(nextKey, nextKey.length / 2));
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(SERVER_SERIAL);
    assertThat(lines())
        .containsExactly(
            "WARNING tls certificate chain " + chain + " and tls private key " + key
                + " changed but cannot be used: tls private key " + key + " ends in the middle"
                + " of a PEM block (a BEGIN line without its END line): cut short, or read while"
                + " it was being written; " + KEEP_OLD);

    Files.write(key, nextKey);
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(NEXT_SERVER_SERIAL);
  }

  @Test
  void garbageAndMissingFilesAreRefusedSayingWhy() throws Exception {
    Path chain = Files.write(dir.resolve("tls.crt"), SERVER_CERT.bytes());
    Path key = Files.write(dir.resolve("tls.key"), SERVER_KEY.bytes());
    PemReload reload =
        PemReload.certificateFiles(
            "tls certificate chain", chain, "tls private key", key,
            keyManager, SERVER_CERT.bytes(), SERVER_KEY.bytes());

    Files.writeString(chain, "not a certificate");
    reload.check(LOGGER);
    Files.delete(key);
    reload.check(LOGGER);
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(SERVER_SERIAL);
    assertThat(lines())
        .containsExactly(
            "WARNING tls certificate chain " + chain + " and tls private key " + key
                + " changed but cannot be used: tls certificate chain " + chain + " holds no"
                + " certificate (BEGIN CERTIFICATE), found no PEM block; " + KEEP_OLD,
            "WARNING cannot read tls certificate chain " + chain + " and tls private key " + key
                + ": java.nio.file.NoSuchFileException: " + key + "; " + KEEP_OLD);
  }

  @Test
  void aSupplierIsAskedAtEachCheckAndWhatItGivesIsCheckedToo() {
    AtomicReference<Supplier<CertificateAndKey>> answer =
        new AtomicReference<>(() -> pair(SERVER_CERT.bytes(), SERVER_KEY.bytes()));
    PemReload reload =
        PemReload.certificateSupplier(
            "tls certificate supplier", () -> answer.get().get(),
            keyManager, SERVER_CERT.bytes(), SERVER_KEY.bytes());

    answer.set(() -> {
      throw new IllegalStateException("vault is sealed");
    });
    reload.check(LOGGER);
    answer.set(() -> null);
    reload.check(LOGGER);
    answer.set(() -> pair(NEXT_SERVER_CERT.bytes(), SERVER_KEY.bytes()));
    reload.check(LOGGER);
    assertThat(presented()).isEqualTo(SERVER_SERIAL);

    answer.set(() -> pair(NEXT_SERVER_CERT.bytes(), NEXT_SERVER_KEY.bytes()));
    reload.check(LOGGER);

    assertThat(presented()).isEqualTo(NEXT_SERVER_SERIAL);
    assertThat(lines())
        .containsExactly(
            "WARNING tls certificate supplier threw java.lang.IllegalStateException: vault is"
                + " sealed; " + KEEP_OLD,
            "WARNING tls certificate supplier gave null; " + KEEP_OLD,
            "WARNING tls certificate supplier changed but cannot be used: tls certificate"
                + " supplier's private key does not match the certificate 'CN=localhost' in tls"
                + " certificate supplier's certificate chain: the certificate's public key is not"
                + " this key's; give the private key the certificate was issued for; " + KEEP_OLD,
            "INFO tls certificate supplier changed: new connections presenting 'CN=localhost'"
                + " (serial 11, valid until 2120-01-01)");
  }

  @Test
  void trustedCertificatesAreReplacedWholeAndABundleCutShortIsRefused() throws Exception {
    ReloadingTrustManager trustManager = new ReloadingTrustManager("trusted", CA.bytes());
    Path file = Files.write(dir.resolve("ca.pem"), CA.bytes());
    PemReload reload = PemReload.trustFile("trusted certificates", file, trustManager, CA.bytes());

    byte[] bundle = concat(CA.bytes(), NEXT_CA.bytes());
    Files.write(file, Arrays.copyOf(bundle, bundle.length - 40)); // the second CA cut short
    reload.check(LOGGER);
    assertThat(subjects(trustManager)).containsExactly("CN=hello-grpc test CA");

    Files.write(file, bundle);
    reload.check(LOGGER);
    assertThat(subjects(trustManager))
        .containsExactly("CN=hello-grpc test CA", "CN=hello-grpc next test CA");

    Files.write(file, NEXT_CA.bytes());
    reload.check(LOGGER);
    assertThat(subjects(trustManager)).containsExactly("CN=hello-grpc next test CA");

    assertThat(lines())
        .containsExactly(
            "WARNING trusted certificates " + file + " changed but cannot be used: trusted"
                + " certificates " + file + " ends in the middle of a PEM block (a BEGIN line"
                + " without its END line): cut short, or read while it was being written; new"
                + " connections keep trusting 'CN=hello-grpc test CA'",
            "INFO trusted certificates " + file + " changed: new connections trusting"
                + " 'CN=hello-grpc test CA', 'CN=hello-grpc next test CA'",
            "INFO trusted certificates " + file + " changed: new connections trusting"
                + " 'CN=hello-grpc next test CA'");
  }

  @Test
  void suppliedTrustedCertificatesThatHoldNoneAreRefused() {
    ReloadingTrustManager trustManager = new ReloadingTrustManager("trusted", CA.bytes());
    AtomicReference<String> answer = new AtomicReference<>("");
    PemReload reload =
        PemReload.trustSupplier(
            "trusted certificates supplier", answer::get, trustManager, CA.bytes());

    reload.check(LOGGER);
    answer.set(new String(NEXT_CA.bytes(), StandardCharsets.US_ASCII));
    reload.check(LOGGER);

    assertThat(subjects(trustManager)).containsExactly("CN=hello-grpc next test CA");
    assertThat(lines())
        .containsExactly(
            "WARNING trusted certificates supplier changed but cannot be used: trusted"
                + " certificates supplier's certificates holds no certificate (BEGIN"
                + " CERTIFICATE), found no PEM block; new connections keep trusting"
                + " 'CN=hello-grpc test CA'",
            "INFO trusted certificates supplier changed: new connections trusting"
                + " 'CN=hello-grpc next test CA'");
  }

  private static CertificateAndKey pair(byte[] chain, byte[] key) {
    return new CertificateAndKey(
        new String(chain, StandardCharsets.US_ASCII), new String(key, StandardCharsets.US_ASCII));
  }

  private static List<String> subjects(ReloadingTrustManager trustManager) {
    return trustManager.trusted().stream()
        .map(X509Certificate::getSubjectX500Principal)
        .map(p -> p.getName())
        .toList();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
