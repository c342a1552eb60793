/**
 * Internal: the implementation behind {@code io.hellogrpc.client}. Not API: anything here may
 * change in any release without notice.
 */
package io.hellogrpc.client.internal;
