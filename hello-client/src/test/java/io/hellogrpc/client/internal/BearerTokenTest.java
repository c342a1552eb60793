package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import io.hellogrpc.api.internal.HelloMethods;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The last line of defence: whatever the builder allowed, no token over a connection in clear. */
class BearerTokenTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static CallCredentials.RequestInfo connection(SecurityLevel level) {
    return new CallCredentials.RequestInfo() {
      @Override
      public MethodDescriptor<?, ?> getMethodDescriptor() {
        return HelloMethods.HELLO;
      }

      @Override
      public SecurityLevel getSecurityLevel() {
        return level;
      }

      @Override
      public String getAuthority() {
        return "example.com:443";
      }

      @Override
      public Attributes getTransportAttrs() {
        return Attributes.EMPTY;
      }
    };
  }

  /** What the credentials did: the headers they applied, or the status they failed with. */
  private static Object apply(BearerToken token, SecurityLevel level) {
    AtomicReference<Object> outcome = new AtomicReference<>();
    token.applyRequestMetadata(
        connection(level),
        Runnable::run,
        new CallCredentials.MetadataApplier() {
          @Override
          public void apply(Metadata headers) {
            outcome.set(headers.get(AUTHORIZATION));
          }

          @Override
          public void fail(Status status) {
            outcome.set(status);
          }
        });
    return outcome.get();
  }

  @Test
  void sendsTheTokenOnlyOverAPrivateConnection() {
    BearerToken token = new BearerToken(() -> "abc", true, false, Runnable::run);
    assertThat(apply(token, SecurityLevel.PRIVACY_AND_INTEGRITY)).isEqualTo("Bearer abc");
    assertThat(apply(token, SecurityLevel.NONE))
        .isInstanceOfSatisfying(
            Status.class,
            status -> {
              assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(status.getDescription())
                  .isEqualTo(
                      "the token was not sent: the connection to example.com:443 has no TLS"
                          + " (use tls(), or allowTokenOverPlaintext() on a trusted network)");
            });
  }

  @Test
  void sendsItInTheClearWhenAllowedAndRefusesWhatCannotBeAHeader() {
    assertThat(apply(new BearerToken(() -> "abc", true, true, Runnable::run), SecurityLevel.NONE))
        .isEqualTo("Bearer abc");
    assertThat(
            apply(
                new BearerToken(() -> "a b\n", false, false, Runnable::run),
                SecurityLevel.PRIVACY_AND_INTEGRITY))
        .isInstanceOfSatisfying(
            Status.class,
            status ->
                assertThat(status.getDescription())
                    .isEqualTo(
                        "the token from the supplier has characters other than visible ASCII"
                            + " (4 characters; the value is not repeated here)"));
  }
}
