/**
 * Internal: the machinery behind {@code HelloTestServer} (dispatching handlers, scripted faults,
 * recordings, tracked clients and sessions). Not API: anything here may change in any release
 * without notice. Tests should not use it.
 */
package io.hellogrpc.testing.junit.internal;
