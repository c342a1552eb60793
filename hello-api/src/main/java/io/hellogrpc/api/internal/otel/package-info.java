/**
 * Internal: the library's spans and metrics through OpenTelemetry, shared by server and client;
 * the only code of hello-api that names OpenTelemetry's types, loaded only when an application
 * called a builder's {@code openTelemetry(...)}. Not API.
 */
package io.hellogrpc.api.internal.otel;
