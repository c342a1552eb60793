package io.hellogrpc.client.internal;

import io.grpc.NameResolverRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Checks a client's target the way grpc will read it, when it is set: grpc only looks at a
 * target's port once it resolves the name, on a thread of its own, where a port out of range is
 * an exception nobody catches and calls wait for an address that never comes.
 */
public final class Targets {
  /** What grpc takes for a URI rather than for host:port (its ManagedChannelImplBuilder's test). */
  private static final Pattern URI_LIKE = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

  private Targets() {}

  /**
   * Passes {@code host:port} (IPv6 in brackets) with a port from 1 to 65535, and URIs whose scheme
   * a grpc name resolver handles ({@code dns:///host:port}, ...), checking their ports where they
   * have any. Unix domain sockets are refused: the client's transport is TCP.
   *
   * @throws IllegalArgumentException naming the target and what to write instead
   */
  public static void check(String target) {
    URI uri = null;
    String notUri = null;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      notUri = e.getMessage();
    }
    // In grpc's order: a URI whose scheme has a resolver, else host:port, else nothing it can use.
    if (uri != null && uri.getScheme() != null && uri.getScheme().startsWith("unix")) {
      throw new IllegalArgumentException(
          "target '" + target + "' is a Unix domain socket, which this client does not support:"
              + " it connects over TCP (host:port), or in-process with inProcess(name)");
    }
    if (uri != null && hasResolver(uri.getScheme())) {
      checkPorts(target, uri);
    } else if (!URI_LIKE.matcher(target).matches()) {
      // Such as "localhost:1234", which grpc resolves with DNS; without a port it would quietly
      // use its default, 80 (or 443 with TLS), which is hardly ever where a HelloService listens.
      HostPort.parse("target", target);
    } else if (uri == null) {
      throw new IllegalArgumentException(
          "target '" + target + "' is not a valid URI (" + notUri + "): write host:port, or"
              + " percent-encode the URI (IPv6 brackets as %5B and %5D)");
    } else {
      throw new IllegalArgumentException(
          "target '" + target + "' has the scheme '" + uri.getScheme() + "', which no gRPC name"
              + " resolver here handles: write host:port, or a URI such as dns:///host:port");
    }
  }

  private static boolean hasResolver(String scheme) {
    return scheme != null
        && NameResolverRegistry.getDefaultRegistry().getProviderForScheme(scheme) != null;
  }

  private static void checkPorts(String target, URI uri) {
    if (uri.getPort() != -1) { // the authority, such as a DNS server's address
      HostPort.checkPortIfAny("target", target, uri.getAuthority());
    }
    if (uri.getScheme().equals("dns")) {
      // grpc resolves the path without its leading slash: dns:///host:port, dns://server/host:port
      String path = uri.getPath();
      String name = path == null ? uri.getSchemeSpecificPart() : path.replaceFirst("^/", "");
      HostPort.checkPortIfAny("target", target, name);
    }
  }
}
