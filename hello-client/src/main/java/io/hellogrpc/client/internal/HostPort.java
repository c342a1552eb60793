package io.hellogrpc.client.internal;

/** One {@code host:port} of a client's address list; IPv6 hosts in brackets. */
public record HostPort(String host, int port) {
  /**
   * @throws IllegalArgumentException naming {@code address} if it is not host:port
   */
  public static HostPort parse(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || host.contains("[") || host.contains(",") || port < 1 || port > 65_535
        || address.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "an address must be host:port with a port from 1 to 65535: '" + address + "'");
    }
    return new HostPort(host, port);
  }

  /** As an authority: what TLS checks the server's certificate against. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
