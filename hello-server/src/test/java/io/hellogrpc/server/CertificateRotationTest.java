package io.hellogrpc.server;

import static io.hellogrpc.testing.TestCertificates.CA;
import static io.hellogrpc.testing.TestCertificates.CLIENT_CERT;
import static io.hellogrpc.testing.TestCertificates.CLIENT_KEY;
import static io.hellogrpc.testing.TestCertificates.NEXT_CA;
import static io.hellogrpc.testing.TestCertificates.NEXT_CLIENT_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_CLIENT_KEY;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.UNRELATED_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.hellogrpc.api.CertificateAndKey;
import io.hellogrpc.api.proto.HelloServiceGrpc;
import io.hellogrpc.testing.LogCapture;
import io.hellogrpc.testing.SecretVolume;
import io.hellogrpc.testing.TestCertificates;
import io.hellogrpc.testing.TlsProbe;
import io.hellogrpc.testing.Waiting;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose certificate files change under it, over Netty with TLS on 127.0.0.1, as plain
 * grpc clients and the JDK's TLS see it: new connections get the new certificate, connections
 * already open carry on, and unusable material is refused while the old stays in use.
 */
@Timeout(30)
class CertificateRotationTest {
  private static final BigInteger SERVER_SERIAL = BigInteger.valueOf(0x02);
  private static final BigInteger NEXT_SERVER_SERIAL = BigInteger.valueOf(0x11);
  private static final Duration CHECK_EVERY = Duration.ofMillis(10);
  private static final String THREAD = "hello-server-certificates-";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path dir;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private HelloServer server;

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    Waiting.until("the server's certificate thread ends", () -> !certificateThreadRuns());
  }

  private static boolean certificateThreadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(THREAD) && t.isAlive());
  }

  private static Map<String, byte[]> files(TestCertificates... certificateKeyAndMore) {
    String[] names = {"tls.crt", "tls.key", "ca.crt"};
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 0; i < certificateKeyAndMore.length; i++) {
      files.put(names[i], certificateKeyAndMore[i].bytes());
    }
    return files;
  }

  private HelloServer.Builder serving(SecretVolume volume) {
    return HelloServer.builder()
        .host("127.0.0.1")
        .port(0)
        .tls(volume.file("tls.crt"), volume.file("tls.key"))
        .reloadCertificates(CHECK_EVERY);
  }

  private ManagedChannel channel(ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), credentials).build();
    channels.add(channel);
    return channel;
  }

  private static TlsChannelCredentials.Builder trusting(TestCertificates ca) throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(ca.stream());
  }

  private static String hello(ManagedChannel channel) {
    return HelloServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .hello(message("tls"))
        .getValue();
  }

  private static void assertRefused(ManagedChannel channel) {
    assertThatThrownBy(() -> hello(channel))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private static io.hellogrpc.api.proto.String message(String value) {
    return io.hellogrpc.api.proto.String.newBuilder().setValue(value).build();
  }

  private BigInteger presentedSerial() {
    return TlsProbe.serverCertificate(server.port()).getSerialNumber();
  }

  /** Waits until the server has logged {@code count} lines at {@code level}, and returns them. */
  private List<String> awaitServerLogs(Level level, int count) {
    Waiting.until(count + " " + level + " lines", () -> serverLogs(level).size() >= count);
    return serverLogs(level);
  }

  private List<String> serverLogs(Level level) {
    return logs.atOrAbove(level).stream()
        .filter(line -> line.startsWith(level + " io.hellogrpc.server: "))
        .toList();
  }

  /** A Channel session of a plain grpc client: what it sends, and the replies it gets. */
  private static final class Stream {
    final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final StreamObserver<io.hellogrpc.api.proto.String> requests;

    Stream(ManagedChannel channel) {
      requests =
          HelloServiceGrpc.newStub(channel)
              .channel(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(io.hellogrpc.api.proto.String reply) {
                      replies.add(reply.getValue());
                    }

                    @Override
                    public void onError(Throwable t) {
                      replies.add("error: " + Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                      replies.add("completed");
                    }
                  });
    }

    String exchange(String message) throws InterruptedException {
      requests.onNext(message(message));
      return replies.poll(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void newConnectionsGetTheNewCertificateWhileAnOpenSessionCarriesOn() throws Exception {
    SecretVolume volume = SecretVolume.create(dir, files(SERVER_CERT, SERVER_KEY));
    server = serving(volume).start();
    Stream open = new Stream(channel(trusting(CA).build()));
    assertThat(open.exchange("before")).isEqualTo("hello:before");
    assertThat(presentedSerial()).isEqualTo(SERVER_SERIAL);

    volume.update(files(NEXT_SERVER_CERT, NEXT_SERVER_KEY));

    assertThat(awaitServerLogs(Level.INFO, 1))
        .containsExactly(
            "INFO io.hellogrpc.server: tls certificate chain " + volume.file("tls.crt")
                + " and tls private key " + volume.file("tls.key") + " changed: new connections"
                + " presenting 'CN=localhost' (serial 11, valid until 2120-01-01)");
    assertThat(presentedSerial()).isEqualTo(NEXT_SERVER_SERIAL);
    assertThat(hello(channel(trusting(NEXT_CA).build()))).isEqualTo("hello:tls");
    assertRefused(channel(trusting(CA).build())); // a new connection: the new certificate
    // The session opened before goes on over its connection, with the certificate it began with.
    assertThat(open.exchange("after")).isEqualTo("hello:after");
    open.requests.onCompleted();
    assertThat(open.replies.poll(10, TimeUnit.SECONDS)).isEqualTo("completed");
    assertThat(logs.atOrAbove(Level.WARNING)).isEmpty();
  }

  @Test
  void anUnusablePairIsRefusedWithAWarningAndTheOldCertificateStaysUntilAGoodOneComes()
      throws Exception {
    SecretVolume volume = SecretVolume.create(dir, files(SERVER_CERT, SERVER_KEY));
    server = serving(volume).start();
    String files =
        "tls certificate chain " + volume.file("tls.crt") + " and tls private key "
            + volume.file("tls.key");
    String keep =
        "; new connections keep presenting 'CN=localhost' (serial 2, valid until 2120-01-01)";

    volume.update(files(NEXT_SERVER_CERT, UNRELATED_KEY)); // a key that is not the certificate's
    assertThat(awaitServerLogs(Level.WARNING, 1))
        .containsExactly(
            "WARNING io.hellogrpc.server: " + files + " changed but cannot be used: tls private"
                + " key " + volume.file("tls.key") + " does not match the certificate"
                + " 'CN=localhost' in tls certificate chain " + volume.file("tls.crt") + ": the"
                + " certificate's public key is not this key's; give the private key the"
                + " certificate was issued for" + keep);
    assertThat(presentedSerial()).isEqualTo(SERVER_SERIAL);
    assertThat(hello(channel(trusting(CA).build()))).isEqualTo("hello:tls");

    Map<String, byte[]> garbage = files(NEXT_SERVER_CERT, NEXT_SERVER_KEY);
    garbage.put("tls.crt", "garbage".getBytes(StandardCharsets.US_ASCII));
    volume.update(garbage);
    assertThat(awaitServerLogs(Level.WARNING, 2).get(1))
        .isEqualTo(
            "WARNING io.hellogrpc.server: " + files + " changed but cannot be used: tls"
                + " certificate chain " + volume.file("tls.crt") + " holds no certificate (BEGIN"
                + " CERTIFICATE), found no PEM block" + keep);
    assertThat(presentedSerial()).isEqualTo(SERVER_SERIAL);

    volume.update(files(NEXT_SERVER_CERT, NEXT_SERVER_KEY));
    awaitServerLogs(Level.INFO, 1);
    assertThat(presentedSerial()).isEqualTo(NEXT_SERVER_SERIAL);
    assertThat(hello(channel(trusting(NEXT_CA).build()))).isEqualTo("hello:tls");
    assertThat(serverLogs(Level.WARNING)).hasSize(2);
  }

  @Test
  void mutualTlsTrustsTheNewClientCaForNewConnections() throws Exception {
    SecretVolume volume = SecretVolume.create(dir, files(SERVER_CERT, SERVER_KEY, CA));
    server = serving(volume).requireClientCertificates(volume.file("ca.crt")).start();
    ManagedChannel before =
        channel(trusting(CA).keyManager(CLIENT_CERT.stream(), CLIENT_KEY.stream()).build());
    assertThat(hello(before)).isEqualTo("hello:tls");
    assertRefused(
        channel(
            trusting(CA).keyManager(NEXT_CLIENT_CERT.stream(), NEXT_CLIENT_KEY.stream()).build()));

    volume.update(files(SERVER_CERT, SERVER_KEY, NEXT_CA));

    assertThat(awaitServerLogs(Level.INFO, 1))
        .containsExactly(
            "INFO io.hellogrpc.server: client CA certificates " + volume.file("ca.crt")
                + " changed: new connections trusting 'CN=hello-grpc next test CA'");
    assertThat(
            hello(
                channel(
                    trusting(CA)
                        .keyManager(NEXT_CLIENT_CERT.stream(), NEXT_CLIENT_KEY.stream())
                        .build())))
        .isEqualTo("hello:tls");
    assertRefused(
        channel(trusting(CA).keyManager(CLIENT_CERT.stream(), CLIENT_KEY.stream()).build()));
    assertThat(hello(before)).isEqualTo("hello:tls"); // its connection was accepted before
  }

  @Test
  void aSuppliedCertificateIsAskedAgainAndWhatChangedIsUsed() throws Exception {
    AtomicReference<CertificateAndKey> current =
        new AtomicReference<>(pair(SERVER_CERT, SERVER_KEY));
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(() -> current.get())
            .reloadCertificates(CHECK_EVERY)
            .start();
    assertThat(presentedSerial()).isEqualTo(SERVER_SERIAL);

    current.set(null);
    assertThat(awaitServerLogs(Level.WARNING, 1))
        .containsExactly(
            "WARNING io.hellogrpc.server: tls certificate supplier gave null; new connections"
                + " keep presenting 'CN=localhost' (serial 2, valid until 2120-01-01)");
    assertThat(presentedSerial()).isEqualTo(SERVER_SERIAL);

    current.set(pair(NEXT_SERVER_CERT, NEXT_SERVER_KEY));
    assertThat(awaitServerLogs(Level.INFO, 1))
        .containsExactly(
            "INFO io.hellogrpc.server: tls certificate supplier changed: new connections"
                + " presenting 'CN=localhost' (serial 11, valid until 2120-01-01)");
    assertThat(presentedSerial()).isEqualTo(NEXT_SERVER_SERIAL);
  }

  @Test
  void reloadingNeedsSomethingToReloadAndASupplierNeedsReloading() {
    assertThatThrownBy(
            () -> HelloServer.builder().port(0).tls(() -> pair(SERVER_CERT, SERVER_KEY)).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "tls(Supplier) needs reloadCertificates(checkEvery): how often to ask it again; for"
                + " material that never changes, use tls(certificateChain, privateKey)");
    assertThatThrownBy(() -> HelloServer.builder().port(0).reloadCertificates(CHECK_EVERY).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reloadCertificates(PT0.01S) needs tls(...)");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .port(0)
                    .tls(SERVER_CERT.stream(), SERVER_KEY.stream())
                    .requireClientCertificates(CA.stream())
                    .reloadCertificates(CHECK_EVERY)
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "reloadCertificates(PT0.01S) reads files again, but tls(...) and"
                + " requireClientCertificates(...) were given streams, which cannot be read"
                + " again: give them as Path, or tls(Supplier)");
    assertThatThrownBy(() -> HelloServer.builder().reloadCertificates(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reloadCertificates must be positive: PT0S");
    assertThatThrownBy(
            () ->
                HelloServer.builder()
                    .port(0)
                    .tls(() -> pair(NEXT_SERVER_CERT, SERVER_KEY))
                    .reloadCertificates(CHECK_EVERY)
                    .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "tls certificate supplier's private key does not match the certificate");
    assertThat(certificateThreadRuns()).isFalse();
  }

  @Test
  void oneThreadChecksWhileTheServerRunsAndNoneWithoutReloading() throws Exception {
    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(SERVER_CERT.copyTo(dir), SERVER_KEY.copyTo(dir))
            .start();
    assertThat(certificateThreadRuns()).isFalse();
    server.close();

    server =
        HelloServer.builder()
            .host("127.0.0.1")
            .port(0)
            .tls(SERVER_CERT.copyTo(dir), SERVER_KEY.copyTo(dir))
            .reloadCertificates(Duration.ofMinutes(1))
            .start();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD)))
        .singleElement()
        .matches(Thread::isDaemon, "is a daemon");
    server.close();
    Waiting.until("the thread ends with the server", () -> !certificateThreadRuns());
  }

  private static CertificateAndKey pair(TestCertificates chain, TestCertificates key) {
    return new CertificateAndKey(
        new String(chain.bytes(), StandardCharsets.US_ASCII),
        new String(key.bytes(), StandardCharsets.US_ASCII));
  }
}
