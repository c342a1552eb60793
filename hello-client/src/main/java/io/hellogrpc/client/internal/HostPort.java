package io.hellogrpc.client.internal;

/** One {@code host:port} of a client's address list or target; IPv6 hosts in brackets. */
public record HostPort(String host, int port) {
  /** The port of a name that has none, where a default applies (a {@code dns:} target's). */
  private static final int NO_PORT = -1;

  /** As {@link #parse(String, String)}, for an entry of {@code addresses(...)}. */
  public static HostPort parse(String address) {
    return parse("address", address);
  }

  /**
   * @param what what {@code address} is, as the error message should name it ("target")
   * @throws IllegalArgumentException naming {@code address} and what to write instead, if it is
   *     not host:port with a port from 1 to 65535
   */
  public static HostPort parse(String what, String address) {
    HostPort parsed = read(what, address, address);
    if (parsed.port == NO_PORT) {
      throw refused(what, address, noPort(parsed.host));
    }
    return parsed;
  }

  /**
   * Checks {@code name}, a host with or without a port (a {@code dns:} target's name, where grpc
   * supplies a default port), and its port where it has one.
   *
   * @param shown what the error message quotes: the whole target {@code name} came from
   */
  static void checkPortIfAny(String what, String shown, String name) {
    read(what, shown, name);
  }

  private static HostPort read(String what, String shown, String address) {
    String host;
    String port;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      host = close < 0 ? address : address.substring(1, close);
      String rest = close < 0 ? "" : address.substring(close + 1);
      if (close < 0 || !host.contains(":") || !(rest.isEmpty() || rest.startsWith(":"))) {
        throw refused(
            what,
            shown,
            "has a malformed IPv6 address: write it in brackets, such as '[::1]:8443'");
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = address.indexOf(':');
      if (colon != address.lastIndexOf(':')) {
        throw refused(
            what, shown,
            "has an IPv6 address without brackets: write it in brackets, such as '[::1]:8443'");
      }
      host = colon < 0 ? address : address.substring(0, colon);
      port = colon < 0 ? null : address.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw refused(what, shown, "has no host: write host:port, such as 'localhost:8443'");
    }
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || "[]/,@?#".indexOf(c) >= 0)) {
      throw refused(
          what, shown, "has '" + host + "' as its host, which is not a host name or IP address");
    }
    return new HostPort(host, port == null ? NO_PORT : portNumber(what, shown, host, port));
  }

  private static int portNumber(String what, String shown, String host, String port) {
    if (port.isEmpty()) {
      throw refused(what, shown, noPort(host));
    }
    if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw refused(what, shown, "has port '" + port + "', which is not a number");
    }
    int number = port.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(port);
    if (number < 1 || number > 65_535) {
      throw refused(what, shown, "has port " + port + ": a port must be from 1 to 65535");
    }
    return number;
  }

  private static String noPort(String host) {
    return "has no port: write host:port, such as '" + new HostPort(host, 8443).authority() + "'";
  }

  private static IllegalArgumentException refused(String what, String shown, String problem) {
    return new IllegalArgumentException(what + " '" + shown + "' " + problem);
  }

  /** As an authority: what TLS checks the server's certificate against. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
