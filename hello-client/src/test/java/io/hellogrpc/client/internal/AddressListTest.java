package io.hellogrpc.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.NameResolverRegistry;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressListTest {
  @Test
  void parsesHostsAndBracketedIpv6AndKeepsEachAuthority() {
    assertThat(HostPort.parse("replica-1.internal:8443"))
        .isEqualTo(new HostPort("replica-1.internal", 8443));
    HostPort ipv6 = HostPort.parse("[2001:db8::1]:443");
    assertThat(ipv6).isEqualTo(new HostPort("2001:db8::1", 443));
    assertThat(ipv6.authority()).isEqualTo("[2001:db8::1]:443");
  }

  @Test
  void theResolverServesOnlyItsSchemeAndLeavesTheHostsDefaultToDns() {
    NameResolverRegistry registry = NameResolverRegistry.getDefaultRegistry();
    assertThat(registry.getDefaultScheme()).isEqualTo("dns");
    assertThat(registry.getProviderForScheme("hello-addresses"))
        .isInstanceOf(AddressListResolverProvider.class);
  }

  @Test
  void theTargetSurvivesGrpcsUriParsing() {
    String target = AddressListResolverProvider.target(List.of("a.example:1", "[::1]:2"));
    URI parsed = URI.create(target);
    assertThat(parsed.getScheme()).isEqualTo("hello-addresses");
    assertThat(parsed.getPath()).isEqualTo("/a.example:1,[::1]:2");
  }
}
