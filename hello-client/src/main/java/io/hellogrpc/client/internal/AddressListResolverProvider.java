package io.hellogrpc.client.internal;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The {@code hello-addresses:///host:port,host:port} target behind
 * {@code HelloClient.Builder.addresses(...)}: grpc-java has no static list of its own. Registered
 * through META-INF/services, as grpc finds resolvers; the scheme is ours alone.
 */
public final class AddressListResolverProvider extends NameResolverProvider {
  static final String SCHEME = "hello-addresses";

  /** The target for {@code addresses}, escaped so IPv6 brackets survive grpc's URI parsing. */
  static String target(List<String> addresses) {
    try {
      return new URI(SCHEME, "", "/" + String.join(",", addresses), null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("addresses cannot form a target: " + addresses, e);
    }
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    List<HostPort> addresses =
        Arrays.stream(targetUri.getPath().substring(1).split(",")).map(HostPort::parse).toList();
    return new AddressListResolver(addresses, args);
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /**
   * Below grpc's DNS resolver (5): the registry's default scheme, for every channel in the host's
   * JVM whose target names none, goes to the highest priority, and ties go to class names. Ours
   * answers only {@code hello-addresses} targets.
   */
  @Override
  protected int priority() {
    return 4;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
