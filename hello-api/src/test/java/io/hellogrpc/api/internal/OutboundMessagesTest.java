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
  void refusesALoneSurrogateNamingItsIndex() {
    // Was sent, and arrived as "?".
    assertThatThrownBy(() -> OutboundMessages.check("ab\uD800c", 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "message has a lone surrogate \\uD800 at index 2, which UTF-8 cannot encode (half of"
                + " a UTF-16 pair without its other half); it was not sent");
    assertThat(OutboundMessages.loneSurrogate("\uD83D"))
        .startsWith("a lone surrogate \\uD83D at index 0");
    assertThat(OutboundMessages.loneSurrogate("x\uDE00"))
        .startsWith("a lone surrogate \\uDE00 at index 1");
    assertThat(OutboundMessages.loneSurrogate("\uDE00\uD83D")) // a pair the wrong way round
        .startsWith("a lone surrogate \\uDE00 at index 0");
    assertThat(OutboundMessages.loneSurrogate("\uD83D\uDE00\uD83D"))
        .startsWith("a lone surrogate \\uD83D at index 2");
  }

  @Test
  void acceptsSurrogatePairs() {
    assertThat(OutboundMessages.loneSurrogate("smile \uD83D\uDE00, twice \uD83D\uDE00")).isNull();
    assertThatCode(() -> OutboundMessages.check("\uD83D\uDE00", 100)).doesNotThrowAnyException();
  }

  @Test
  void anEmptyMessageTakesNoBytes() {
    assertThat(OutboundMessages.encodedSize("")).isZero();
    assertThatCode(() -> OutboundMessages.check("", 1)).doesNotThrowAnyException();
  }
}
