package io.hellogrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** What maxConnectionsPerAddress counts connections by. */
class AddressKeyTest {
  private static String keyOf(String address) throws UnknownHostException {
    return NettyConnections.addressKey(new InetSocketAddress(InetAddress.getByName(address), 443));
  }

  @Test
  void anIpv4AddressCountsByItself() throws Exception {
    assertThat(keyOf("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(keyOf("203.0.113.8")).isEqualTo("203.0.113.8");
    assertThat(keyOf("::ffff:203.0.113.7")).isEqualTo("203.0.113.7"); // IPv4-mapped is IPv4
  }

  @Test
  void anIpv6AddressCountsByItsSlash64() throws Exception {
    assertThat(keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
    assertThat(keyOf("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(keyOf("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(keyOf("::1")).isEqualTo("0:0:0:0::/64");
  }

  @Test
  void anAddressThatIsNotIpCountsOnlyInTheTotal() {
    assertThat(NettyConnections.addressKey(null)).isNull();
    assertThat(NettyConnections.addressKey(InetSocketAddress.createUnresolved("example.com", 1)))
        .isNull();
  }
}
