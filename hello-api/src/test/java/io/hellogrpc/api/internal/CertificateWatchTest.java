package io.hellogrpc.api.internal;

import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SecretVolume;
import io.hellogrpc.testing.Waiting;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CertificateWatchTest {
  private static final String THREAD = "hello-test-certificates";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static boolean threadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(THREAD + "-") && t.isAlive());
  }

  @Test
  void checksOnOneDaemonThreadUntilClosed(@TempDir Path dir) {
    ReloadingKeyManager keyManager =
        new ReloadingKeyManager(
            TlsIdentity.parse("chain", SERVER_CERT.bytes(), "key", SERVER_KEY.bytes(), null));
    SecretVolume volume =
        SecretVolume.create(
            dir, Map.of("tls.crt", SERVER_CERT.bytes(), "tls.key", SERVER_KEY.bytes()));
    PemReload reload =
        PemReload.certificateFiles(
            "chain", volume.file("tls.crt"), "key", volume.file("tls.key"),
            keyManager, SERVER_CERT.bytes(), SERVER_KEY.bytes());

    CertificateWatch watch =
        new CertificateWatch(
            Logger.getLogger("io.hellogrpc.test.watch"), List.of(reload),
            Duration.ofMillis(10), THREAD);
    try {
      assertThat(threadRuns()).isTrue();
      assertThat(
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.getName().startsWith(THREAD + "-")))
          .singleElement()
          .matches(Thread::isDaemon, "is a daemon");

      volume.update(
          Map.of("tls.crt", NEXT_SERVER_CERT.bytes(), "tls.key", NEXT_SERVER_KEY.bytes()));
      Waiting.until(
          "the watch takes the new certificate",
          () -> keyManager.current().leaf().getSerialNumber().equals(BigInteger.valueOf(0x11)));
      // The watch installs the certificate, then logs it: the line may trail the swap.
      Waiting.until(
          "the watch logs the change",
          () -> !logs.atOrAbove(java.util.logging.Level.INFO).isEmpty());
      assertThat(logs.atOrAbove(java.util.logging.Level.INFO))
          .singleElement()
          .asString()
          .startsWith("INFO io.hellogrpc.test.watch: chain " + volume.file("tls.crt"));
    } finally {
      watch.close();
    }
    Waiting.until("the watch's thread ends", () -> !threadRuns());
  }
}
