package io.hellogrpc.examples;

import io.hellogrpc.client.HelloClient;
import io.hellogrpc.server.Caller;
import io.hellogrpc.server.ClientCertificate;
import io.hellogrpc.server.HelloServer;
import java.nio.file.Path;

/**
 * The mutual TLS identity example of the README, kept compiling and running here: the PEM files
 * are read from the directory given as the only argument.
 */
public final class CertificateIdentityExample {
  private CertificateIdentityExample() {}

  public static void main(String[] args) throws Exception {
    Path pem = Path.of(args[0]);
    try (HelloServer server =
            HelloServer.builder()
                .host("127.0.0.1")
                .port(0)
                .tls(pem.resolve("server.pem"), pem.resolve("server.key"))
                .requireClientCertificates(pem.resolve("clients-ca.pem"))
                .clientCertificatePrincipal( // optional: by default the first DNS name, URI or CN
                    certificate -> certificate.uris().stream().findFirst().orElse(null))
                .onHello(
                    name ->
                        "hello:" + name
                            + " from " + Caller.principal().orElseThrow()
                            + " (" + Caller.clientCertificate().map(ClientCertificate::subject).orElseThrow()
                            + ")")
                .start();
        HelloClient client =
            HelloClient.builder()
                .target("localhost:" + server.port())
                .trustedCertificates(pem.resolve("ca.pem"))
                .clientCertificate(pem.resolve("client.pem"), pem.resolve("client.key"))
                .build()) {
      System.out.println(client.hello("you"));
      // hello:you from spiffe://example.org/ns/prod/sa/orders (O=Example,CN=orders)
    }
  }
}
