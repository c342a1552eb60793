/**
 * Internal: the client's OpenTelemetry code, the only code of the client that names
 * OpenTelemetry's types; loaded only when the application called
 * {@code HelloClient.Builder.openTelemetry(...)}. Not API.
 */
package io.hellogrpc.client.internal.otel;
