package io.hellogrpc.examples;

import io.hellogrpc.server.HelloServer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The Go tutorial's server: {@code Hello} and {@code Channel} answer {@code "hello:" + value}.
 * Optionally over TLS (mutual with {@code --client-ca}), requiring a bearer token, and serving
 * reflection. SIGINT or SIGTERM shut it down gracefully: health turns {@code NOT_SERVING}, new
 * calls are refused, open sessions get the grace period to finish.
 */
final class ServerCommand {
  static final Usage USAGE =
      new Usage(
          "server",
          "the tutorial's server; Ctrl-C or SIGTERM drains it",
          String.join(
              "\n",
              "The Go tutorial's server: Hello and Channel answer \"hello:\" + value. Prints its",
              "port once listening; Ctrl-C or SIGTERM drain it gracefully."),
          List.of(
              Usage.Option.withValue(
                  "port", "P", "port to listen on (default 1234; 0 picks a free one)"),
              Usage.Option.withValue("host", "H", "address to listen on (default every interface)"),
              Usage.Option.withValue(
                  "tls-cert", "F", "serve TLS with this certificate chain (PEM)"),
              Usage.Option.withValue("tls-key", "F", "and its private key (PEM, PKCS#8)"),
              Usage.Option.withValue(
                  "client-ca", "F", "require client certificates this CA signed (mutual TLS)"),
              Usage.Option.withValue("token", "T", "require 'authorization: Bearer T'"),
              Usage.Option.flag("reflection", "serve server reflection, for grpcurl"),
              Usage.Option.flag(
                  "log-callers",
                  "print each call's method, peer, principal and x-request-id"),
              Telemetry.METRICS_PORT,
              Telemetry.OTLP_ENDPOINT));

  private ServerCommand() {}

  static int run(Options options, PrintStream out, PrintStream err)
      throws Options.UsageException, InterruptedException {
    options.together("tls-cert", "tls-key");
    options.needs("client-ca", "tls-cert");
    HelloServer.Builder builder =
        HelloServer.builder()
            .port(options.integer("port", 1234, 0, 65_535))
            .reflection(options.has("reflection"));
    HelloServer server;
    Telemetry telemetry = null;
    try {
      if (options.has("host")) {
        builder.host(options.string("host", null));
      }
      if (options.has("tls-cert")) {
        builder.tls(options.path("tls-cert"), options.path("tls-key"));
      }
      if (options.has("client-ca")) {
        builder.requireClientCertificates(options.path("client-ca"));
      }
      if (options.has("token")) {
        builder.requireToken(options.string("token", null));
      }
      if (options.has("log-callers")) {
        logCallers(builder, new CallerLog(out));
      }
      if (Telemetry.requested(options)) {
        telemetry = Telemetry.start(options, "hello-server", options.string("host", null));
        builder.openTelemetry(telemetry.openTelemetry());
      }
      server = builder.start();
    } catch (IOException | RuntimeException e) { // a file, token or port the library refused
      err.println(e.getMessage());
      if (telemetry != null) {
        telemetry.close();
      }
      return Main.FAILED;
    }
    Telemetry started = telemetry;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("shutting down: refusing new calls, draining open sessions");
                  server.close();
                  if (started != null) {
                    started.close(); // the last spans and metrics go out
                  }
                  out.println("stopped");
                },
                "hello-server-shutdown"));
    out.println("HelloService listening on port " + server.port());
    if (options.has("metrics-port")) {
      out.println(
          "Prometheus metrics at http://" + options.string("host", "localhost") + ":"
              + options.integer("metrics-port", 0, 1, 65_535) + "/metrics");
    }
    server.awaitTermination();
    return Main.OK;
  }

  /** The tutorial's answers, each call logged first. */
  private static void logCallers(HelloServer.Builder builder, CallerLog log) {
    builder
        .onHello(
            name -> {
              log.hello();
              return "hello:" + name;
            })
        .onChat(
            session -> {
              log.channel(session);
              for (String message : session.messages()) {
                session.send("hello:" + message);
              }
            });
  }
}
