package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class StatusesTest {
  @Test
  void aDescriptionGainsWhatItsLocalCauseSays() {
    Status status =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new ConnectException("Connection refused: /127.0.0.1:1234"));
    assertThat(Statuses.describe(status)).isEqualTo("io exception: Connection refused: /127.0.0.1:1234");
    assertThat(Statuses.describe(Status.CANCELLED)).isEmpty();
    assertThat(Statuses.describe(Status.INTERNAL.withDescription("plain"))).isEqualTo("plain");
  }

  @Test
  void aFailedTlsHandshakeIsDescribedInPlainWordsKeepingItsCause() {
    // As grpc reports a client that does not trust the server's CA.
    SSLHandshakeException untrusted =
        handshakeFailure(
            new CertificateException(
                "PKIX path building failed",
                new CertPathBuilderException(
                    "unable to find valid certification path to requested target")));
    HelloException e = Statuses.toException(ioException(untrusted));
    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(e.description())
        .isEqualTo(
            "TLS handshake failed: the server's certificate is not trusted by the configured CA"
                + " (trustedCertificates(...), else the JVM's CAs): trust the CA that issued the"
                + " server's certificate (unable to find valid certification path to requested"
                + " target)");
    assertThat(e.getCause()).isSameAs(untrusted);
    assertThat(Statuses.toEnd(ioException(untrusted)).description()).isEqualTo(e.description());

    Status wrongHost =
        ioException(
            handshakeFailure(
                new CertificateException(
                    "No subject alternative DNS name matching localhost found for ..., 1."
                        + " subjectAlternativeNames=[DNS:elsewhere.example]",
                    new CertificateException(
                        "No subject alternative DNS name matching localhost found."))));
    assertThat(Statuses.describe(wrongHost))
        .startsWith(
            "TLS handshake failed: the server's certificate is not valid for the host name the"
                + " client connected to (hostname mismatch): ")
        .endsWith("(No subject alternative DNS name matching localhost found for ..., 1."
            + " subjectAlternativeNames=[DNS:elsewhere.example])");
    assertThat(
            Statuses.describe(
                ioException(
                    handshakeFailure(
                        new CertificateException(
                            "No subject alternative names matching IP address 127.0.0.1 found")))))
        .contains("(hostname mismatch)");
  }

  @Test
  void otherHandshakeFailuresSayWhatBoringSslOrNettySaid() {
    Status certificateRequired =
        Status.UNAVAILABLE
            .withDescription("ssl exception")
            .withCause(
                new IllegalStateException(
                    new SSLException(
                        "error:1000045c:SSL routines:OPENSSL_internal:"
                            + "TLSV1_ALERT_CERTIFICATE_REQUIRED")));
    assertThat(Statuses.describe(certificateRequired))
        .startsWith("TLS handshake failed: the server requires a client certificate (mutual TLS)");
    assertThat(
            Statuses.describe(
                ioException(handshakeFailure(new SSLException("TLSV1_ALERT_PROTOCOL_VERSION")))))
        .isEqualTo("TLS handshake failed: TLSV1_ALERT_PROTOCOL_VERSION");
    // Not a handshake: grpc's description and the cause's words, as before.
    assertThat(Statuses.describe(ioException(new SSLException("record overflow"))))
        .isEqualTo("io exception: record overflow");
  }

  private static SSLHandshakeException handshakeFailure(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("General OpenSslEngine problem");
    e.initCause(cause);
    return e;
  }

  private static Status ioException(Throwable cause) {
    return Status.UNAVAILABLE.withDescription("io exception").withCause(cause);
  }

  @Test
  void aHandlerFailureKeepsAHelloExceptionsStatusAndNamesAnyOther() {
    Status chosen = Statuses.forHandlerFailure("Hello", new HelloException(StatusCode.NOT_FOUND, "no such name"));
    assertThat(chosen.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(chosen.getDescription()).isEqualTo("no such name");
    Status unexpected = Statuses.forHandlerFailure("Hello", new ArithmeticException("/ by zero"));
    assertThat(unexpected.getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(unexpected.getDescription())
        .isEqualTo("the Hello handler failed with ArithmeticException; the server logged the details")
        .doesNotContain("/ by zero"); // the message may be a secret: only the server log has it
  }

  @Test
  void aReplyTheClientCouldNotDecodeIsReportedAsWhatItIsNotAsACancellation() {
    // What grpc's client call reports when the response marshaller throws.
    Status grpcSays =
        Status.CANCELLED
            .withDescription("Failed to read message.")
            .withCause(
                Status.INTERNAL
                    .withDescription("invalid HelloService message from the server: bad UTF-8")
                    .asRuntimeException());
    assertThat(Statuses.toEnd(grpcSays))
        .isEqualTo(
            new io.hellogrpc.api.ChatEnd(
                StatusCode.INTERNAL, "invalid HelloService message from the server: bad UTF-8"));
    assertThat(Statuses.toException(grpcSays).code()).isEqualTo(StatusCode.INTERNAL);
    // A real cancellation stays one.
    assertThat(Statuses.toEnd(Status.CANCELLED.withDescription("cancelled by the client")).code())
        .isEqualTo(StatusCode.CANCELLED);
  }

  @Test
  void endsAndExceptionsKeepCodeAndDescription() {
    Status status = Status.DEADLINE_EXCEEDED.withDescription("deadline passed");
    assertThat(Statuses.toEnd(status).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(Statuses.toEnd(Status.OK).isCompleted()).isTrue();
    HelloException e = Statuses.toException(status);
    assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    assertThat(e.description()).isEqualTo("deadline passed");
  }
}
