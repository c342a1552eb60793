/**
 * Internal: the implementation behind {@code io.hellogrpc.server}. Not API: anything here may
 * change in any release without notice.
 */
package io.hellogrpc.server.internal;
