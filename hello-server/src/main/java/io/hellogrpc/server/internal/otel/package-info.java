/**
 * Internal: the server's OpenTelemetry code, the only code of the server that names
 * OpenTelemetry's types; loaded only when the application called
 * {@code HelloServer.Builder.openTelemetry(...)}. Not API.
 */
package io.hellogrpc.server.internal.otel;
