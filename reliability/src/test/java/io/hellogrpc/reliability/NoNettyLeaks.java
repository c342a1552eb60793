package io.hellogrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class under Netty's paranoid leak detector and fails it if, once its tests are done
 * and their garbage collected, Netty reports a buffer that was never released.
 */
final class NoNettyLeaks implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(NettyLeaks.level())
        .as("Netty's leak detector level (the module's surefire argLine sets it)")
        .isEqualTo(ResourceLeakDetector.Level.PARANOID);
    NettyLeaks.install();
    NettyLeaks.newReports(); // whatever earlier classes left is theirs
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(NettyLeaks.newReports()).as("Netty leak reports").isEmpty();
  }
}
