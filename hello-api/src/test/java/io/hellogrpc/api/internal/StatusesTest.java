package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import java.net.ConnectException;
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
