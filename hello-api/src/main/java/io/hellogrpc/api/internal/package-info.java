/**
 * Internal: machinery shared by hello-server and hello-client (the wire codec, status conversion,
 * the bounded inbound queue and the outbound gate behind every chat session). Not API: anything
 * here may change in any release without notice. Host applications should not use it.
 */
package io.hellogrpc.api.internal;
