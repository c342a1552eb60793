package io.hellogrpc.examples;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.client.HelloClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The Go tutorial's client: one {@code Hello}, then one {@code Channel} session sending
 * {@code "0"}, {@code "1"}, ... from one thread while another receives and checks each reply.
 * Optionally over TLS (with a client certificate for mutual TLS) and with a bearer token. Exits
 * non-zero on any error or mismatch.
 */
final class ClientCommand {
  static final Usage USAGE =
      new Usage(
          "client",
          "the tutorial's client, checking every reply",
          String.join(
              "\n",
              "The Go tutorial's client: one Hello, then a Channel session sending \"0\", \"1\",",
              "... from one thread while another checks every reply, in order. Exits non-zero on",
              "any error or mismatch."),
          List.of(
              Usage.Option.withValue("target", "HOST:PORT", "the server (default localhost:1234)"),
              Usage.Option.withValue("messages", "N", "send N messages"),
              Usage.Option.withValue(
                  "duration", "D", "or send for D, like 500ms, 10s or 2m (default 1s)"),
              Usage.Option.withValue("tls-ca", "F", "TLS, trusting this CA (PEM)"),
              Usage.Option.withValue(
                  "tls-cert", "F", "TLS with this client certificate chain (PEM)"),
              Usage.Option.withValue("tls-key", "F", "and its private key (PEM, PKCS#8)"),
              Usage.Option.withValue(
                  "token", "T", "send 'authorization: Bearer T' (over TLS only)"),
              Usage.Option.repeatable(
                  "header",
                  "NAME=VALUE",
                  "send this request header with every call; a -bin NAME takes base64"),
              Telemetry.OTLP_ENDPOINT));

  private ClientCommand() {}

  static int run(Options options, PrintStream out, PrintStream err)
      throws Options.UsageException, InterruptedException {
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
    HelloClient.Builder builder = HelloClient.builder();
    for (String header : options.all("header")) {
      HeaderOption.apply(header, builder);
    }
    Telemetry telemetry = null;
    try {
      builder.target(target);
      if (options.has("tls-ca")) {
        builder.trustedCertificates(options.path("tls-ca"));
      }
      if (options.has("tls-cert")) {
        builder.clientCertificate(options.path("tls-cert"), options.path("tls-key"));
      }
      if (options.has("token")) {
        builder.token(options.string("token", null));
      }
      if (Telemetry.requested(options)) {
        telemetry = Telemetry.start(options, "hello-client", null);
        builder.openTelemetry(telemetry.openTelemetry());
      }
    } catch (RuntimeException e) { // a target, file or token the library refused
      err.println(e.getMessage());
      if (telemetry != null) {
        telemetry.close();
      }
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
    } finally {
      if (telemetry != null) {
        telemetry.close(); // the spans and metrics go out before the program ends
      }
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
