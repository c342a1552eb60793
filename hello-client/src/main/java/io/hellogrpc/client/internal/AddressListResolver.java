package io.hellogrpc.client.internal;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Resolves a fixed list of {@code host:port}, each one server: one address group per entry (with
 * every IP its host has), so round-robin treats each entry as one replica. Each group keeps its own
 * authority, so TLS checks every server's certificate against the name it was given by.
 *
 * <p>Lookups run on grpc's offload executor; results are delivered in the synchronization context,
 * as grpc requires. A refresh (grpc asks after connection failures) looks the names up again.
 */
final class AddressListResolver extends NameResolver {
  private final List<HostPort> addresses;
  private final Executor offload;
  private final SynchronizationContext syncContext;
  private Listener2 listener; // fields below: only in syncContext
  private boolean resolving;
  private boolean shutdown;

  AddressListResolver(List<HostPort> addresses, Args args) {
    this.addresses = addresses;
    this.offload = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : Runnable::run;
    this.syncContext = args.getSynchronizationContext();
  }

  @Override
  public String getServiceAuthority() {
    return addresses.get(0).authority();
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    offload.execute(
        () -> {
          List<EquivalentAddressGroup> groups = new ArrayList<>();
          List<String> failures = new ArrayList<>();
          for (HostPort address : addresses) {
            try {
              groups.add(group(address));
            } catch (UnknownHostException e) {
              failures.add(address.authority() + " (" + e.getMessage() + ")");
            }
          }
          syncContext.execute(() -> deliver(groups, failures));
        });
  }

  private void deliver(List<EquivalentAddressGroup> groups, List<String> failures) {
    resolving = false;
    if (shutdown) {
      return;
    }
    if (groups.isEmpty()) {
      listener.onError(
          Status.UNAVAILABLE.withDescription("cannot resolve any address: " + failures));
      return;
    }
    listener.onResult2(
        ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
  }

  private static EquivalentAddressGroup group(HostPort address) throws UnknownHostException {
    List<SocketAddress> ips = new ArrayList<>();
    for (InetAddress ip : InetAddress.getAllByName(address.host())) {
      ips.add(new InetSocketAddress(ip, address.port()));
    }
    return new EquivalentAddressGroup(
        ips,
        Attributes.newBuilder()
            .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, address.authority())
            .build());
  }
}
