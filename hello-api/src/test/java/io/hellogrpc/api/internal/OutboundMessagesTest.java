package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboundMessagesTest {
  @Test
  void refusesNullWithAClearMessage() {
    assertThatThrownBy(() -> OutboundMessages.check(null, 100))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("message is null");
  }

  @Test
  void refusesOversizedMessagesNamingSizeAndLimit() {
    assertThatThrownBy(() -> OutboundMessages.check("x".repeat(100), 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("102 bytes")
        .hasMessageContaining("limit of 50 bytes");
  }

  @Test
  void countsEncodedBytesNotChars() {
    String threeBytesEach = "✓".repeat(10); // 30 bytes of UTF-8, plus tag and length
    assertThat(OutboundMessages.encodedSize(threeBytesEach)).isEqualTo(32);
    assertThatCode(() -> OutboundMessages.check(threeBytesEach, 32)).doesNotThrowAnyException();
    assertThatThrownBy(() -> OutboundMessages.check(threeBytesEach, 31))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyMessageTakesNoBytes() {
    assertThat(OutboundMessages.encodedSize("")).isZero();
    assertThatCode(() -> OutboundMessages.check("", 1)).doesNotThrowAnyException();
  }
}
