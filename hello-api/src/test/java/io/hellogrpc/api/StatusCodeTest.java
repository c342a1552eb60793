package io.hellogrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusCodeTest {
  @Test
  void everyGrpcCodeHasTheSameNameAndWireValue() {
    for (Status.Code grpc : Status.Code.values()) {
      StatusCode ours = StatusCode.fromValue(grpc.value());
      assertThat(ours.name()).isEqualTo(grpc.name());
      assertThat(ours.value()).isEqualTo(grpc.value());
    }
    assertThat(StatusCode.values()).hasSameSizeAs(Status.Code.values());
  }

  @Test
  void anUnknownWireValueIsRefusedByName() {
    assertThatThrownBy(() -> StatusCode.fromValue(17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("17");
  }

  @Test
  void helloExceptionCarriesCodeAndDescriptionAndRefusesOk() {
    HelloException e = new HelloException(StatusCode.UNAVAILABLE, "server is shutting down");
    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
    assertThat(e.description()).isEqualTo("server is shutting down");
    assertThat(e).hasMessage("UNAVAILABLE: server is shutting down");
    assertThat(new HelloException(StatusCode.INTERNAL, null))
        .hasMessage("INTERNAL: ")
        .satisfies(x -> assertThat(x.description()).isEmpty());
    assertThatThrownBy(() -> new HelloException(StatusCode.OK, "fine"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chatEndTellsCompletionFromFailure() {
    assertThat(ChatEnd.completed().isCompleted()).isTrue();
    assertThat(ChatEnd.completed()).hasToString("COMPLETED");
    ChatEnd cancelled = new ChatEnd(StatusCode.CANCELLED, "cancelled by the client");
    assertThat(cancelled.isCompleted()).isFalse();
    assertThat(cancelled.toException().code()).isEqualTo(StatusCode.CANCELLED);
    assertThatThrownBy(() -> ChatEnd.completed().toException())
        .isInstanceOf(IllegalStateException.class);
  }
}
