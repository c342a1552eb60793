package io.hellogrpc.examples;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.HelloClient;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The Go tutorial's client: one {@code Hello}, then one {@code Channel} session sending
 * {@code "0"}, {@code "1"}, ... from one thread while another receives and checks each reply.
 * Optionally over TLS (with a client certificate for mutual TLS) and with a bearer token. Exits
 * non-zero on any error or mismatch.
 */
final class ClientCommand {
  private ClientCommand() {}

  static int run(Options options, PrintStream out, PrintStream err)
      throws Options.UsageException, InterruptedException {
    options.allowOnly(
        "target", "messages", "duration", "tls-ca", "tls-cert", "tls-key", "token");
    options.together("tls-cert", "tls-key");
    if (options.has("messages") && options.has("duration")) {
      throw new Options.UsageException("--messages and --duration are alternatives: give one");
    }
    String target = options.string("target", "localhost:1234");
    long messages = options.integer("messages", Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
    Duration duration =
        options.has("messages")
            ? Duration.ofDays(1)
            : options.duration("duration", Duration.ofSeconds(1));
    HelloClient.Builder builder;
    try {
      builder = HelloClient.builder().target(target);
      if (options.has("tls-ca")) {
        builder.trustedCertificates(options.path("tls-ca"));
      }
      if (options.has("tls-cert")) {
        builder.clientCertificate(options.path("tls-cert"), options.path("tls-key"));
      }
      if (options.has("token")) {
        builder.token(options.string("token", null));
      }
    } catch (RuntimeException e) { // a target, file or token the library refused
      err.println(e.getMessage());
      return Main.FAILED;
    }
    try (HelloClient client = build(builder)) {
      out.println("From Server: " + client.hello("Hello Service"));
      Exchange.Result result = Exchange.run(client, Long::toString, messages, duration, 3, out);
      out.println(result.summary());
      return result.ok() ? Main.OK : Main.FAILED;
    } catch (HelloException e) {
      err.println("failed: " + e.getMessage());
      return Main.FAILED;
    }
  }

  private static HelloClient build(HelloClient.Builder builder) throws Options.UsageException {
    try {
      return builder.build();
    } catch (IllegalStateException e) { // options that contradict each other, such as a token
      throw new Options.UsageException(e.getMessage()); // over plaintext
    }
  }
}
