package io.hellogrpc.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our codec must put exactly the generated message's bytes on the wire, both ways. */
class StringValueMarshallerTest {
  private final StringValueMarshaller marshaller = StringValueMarshaller.INSTANCE;

  @ParameterizedTest
  @ValueSource(strings = {"", "Hello server", "héllo wörld ✓ 😀", "x"})
  void writesWhatTheGeneratedMessageWrites(String value) throws IOException {
    byte[] ours = marshaller.stream(value).readAllBytes();
    byte[] generated = io.hellogrpc.api.proto.String.newBuilder().setValue(value).build().toByteArray();
    assertThat(ours).isEqualTo(generated);
  }

  @Test
  void handsGrpcADrainableStreamOfKnownLength() throws IOException {
    InputStream stream = marshaller.stream("Hello server");
    assertThat(stream).isInstanceOf(io.grpc.Drainable.class).isInstanceOf(io.grpc.KnownLength.class);
    byte[] generated = io.hellogrpc.api.proto.String.newBuilder().setValue("Hello server").build().toByteArray();
    assertThat(stream.available()).isEqualTo(generated.length);
    ByteArrayOutputStream drained = new ByteArrayOutputStream();
    assertThat(((io.grpc.Drainable) stream).drainTo(drained)).isEqualTo(generated.length);
    assertThat(drained.toByteArray()).isEqualTo(generated);
    assertThat(stream.available()).isZero();
  }

  @Test
  void writesLongValuesWithMultiByteLengths() throws IOException {
    String value = "a".repeat(300_000);
    byte[] ours = marshaller.stream(value).readAllBytes();
    assertThat(io.hellogrpc.api.proto.String.parseFrom(ours).getValue()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Hello server", "héllo wörld ✓ 😀"})
  void readsWhatTheGeneratedMessageWrites(String value) {
    byte[] generated = io.hellogrpc.api.proto.String.newBuilder().setValue(value).build().toByteArray();
    assertThat(marshaller.parse(new ByteArrayInputStream(generated))).isEqualTo(value);
  }

  @Test
  void skipsFieldsItDoesNotKnow() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt64(7, 42);
    out.writeString(1, "kept");
    out.writeString(9, "ignored");
    out.flush();
    assertThat(marshaller.parse(new ByteArrayInputStream(bytes.toByteArray()))).isEqualTo("kept");
  }

  @Test
  void readsStreamsThatUnderReportTheirLength() {
    byte[] generated = io.hellogrpc.api.proto.String.newBuilder().setValue("whole").build().toByteArray();
    InputStream stingy =
        new ByteArrayInputStream(generated) {
          @Override
          public synchronized int available() {
            return 1;
          }
        };
    assertThat(marshaller.parse(stingy)).isEqualTo("whole");
  }

  @Test
  void refusesInvalidUtf8WithInternal() {
    byte[] invalid = {0x0A, 0x02, (byte) 0xC3, (byte) 0x28};
    assertThatThrownBy(() -> marshaller.parse(new ByteArrayInputStream(invalid)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).contains("invalid HelloService message");
            });
  }

  @Test
  void theServerDecodesRequestsItselfAndRefusesInvalidUtf8WithInternal() throws Exception {
    byte[] valid = io.hellogrpc.api.proto.String.newBuilder().setValue("héllo").build().toByteArray();
    byte[] received = HelloMethods.SERVER_CHANNEL.parseRequest(new ByteArrayInputStream(valid));
    assertThat(HelloMethods.decodeRequest(received)).isEqualTo("héllo");

    byte[] invalid = {0x0A, 0x02, (byte) 0xC3, (byte) 0x28};
    assertThatThrownBy(() -> HelloMethods.decodeRequest(invalid))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "invalid HelloService message from the client:"
                          + " Protocol message had invalid UTF-8.");
            });
    byte[] truncated = {0x0A, 0x05, 'a'};
    assertThatThrownBy(() -> HelloMethods.decodeRequest(truncated))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
  }

  @Test
  void methodsKeepTheWireNames() {
    assertThat(HelloMethods.HELLO.getFullMethodName()).isEqualTo("hello.v1.HelloService/Hello");
    assertThat(HelloMethods.CHANNEL.getFullMethodName()).isEqualTo("hello.v1.HelloService/Channel");
    assertThat(HelloMethods.CHANNEL.getType()).isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
    assertThat(HelloMethods.SERVER_HELLO.getFullMethodName()).isEqualTo("hello.v1.HelloService/Hello");
    assertThat(HelloMethods.SERVER_CHANNEL.getFullMethodName())
        .isEqualTo("hello.v1.HelloService/Channel");
    assertThat(HelloMethods.SERVER_CHANNEL.getType())
        .isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
  }
}
