package io.hellogrpc.testing.junit.internal;

import io.hellogrpc.api.HelloException;
import io.hellogrpc.api.StatusCode;
import io.hellogrpc.server.ChannelHandler;
import io.hellogrpc.server.ChatHandler;
import io.hellogrpc.server.HelloHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the test asked the server to do: its handlers and its faults. Read by the server's threads
 * as each call or message comes, written by the test's thread, so every field is volatile or
 * concurrent; {@link #reset()} puts back the defaults before each test.
 */
public final class Script {
  /** The description of every call and session refused by {@code refuseAll(true)}. */
  public static final String REFUSED = "refused by the test (HelloTestServer.refuseAll)";

  private static final HelloHandler DEFAULT_HELLO = name -> "hello:" + name;
  private static final ChannelHandler DEFAULT_CHANNEL = message -> "hello:" + message;

  /** One scripted end: a status and its description; OK completes. */
  public record End(StatusCode code, String description) {
    public End {
      Objects.requireNonNull(code, "code");
      description = description == null ? "" : description;
    }

    HelloException toException() {
      return new HelloException(code, description);
    }
  }

  /** A session ends with {@code end} once it has received {@code messages}. */
  public record EndAfter(int messages, End end) {}

  private volatile HelloHandler onHello;
  private volatile ChannelHandler onChannel;
  private volatile ChatHandler onChat;
  private final Queue<End> failures = new ConcurrentLinkedQueue<>();
  private volatile Duration delay;
  private volatile EndAfter endAfter;
  private volatile boolean refuseAll;

  public Script() {
    reset();
  }

  /** The defaults: the tutorial's handlers, no fault. */
  public void reset() {
    onHello = DEFAULT_HELLO;
    onChannel = DEFAULT_CHANNEL;
    onChat = null;
    failures.clear();
    delay = Duration.ZERO;
    endAfter = null;
    refuseAll = false;
  }

  public void onHello(HelloHandler handler) {
    onHello = Objects.requireNonNull(handler, "handler");
  }

  public void onChannel(ChannelHandler handler) {
    onChannel = Objects.requireNonNull(handler, "handler");
    onChat = null;
  }

  public void onChat(ChatHandler handler) {
    onChat = Objects.requireNonNull(handler, "handler");
  }

  public void failNextCall(StatusCode code, String description) {
    failures.add(new End(notOk(code, "failNextCall"), description));
  }

  public void delayReplies(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delayReplies must not be negative: " + delay);
    }
    this.delay = delay;
  }

  public void endSessionsAfter(int messages, StatusCode code, String description) {
    if (messages < 0) {
      throw new IllegalArgumentException("endSessionsAfter needs 0 or more messages: " + messages);
    }
    endAfter = new EndAfter(messages, new End(code, description));
  }

  public void refuseAll(boolean refuse) {
    refuseAll = refuse;
  }

  HelloHandler helloHandler() {
    return onHello;
  }

  ChannelHandler channelHandler() {
    return onChannel;
  }

  ChatHandler chatHandler() {
    return onChat;
  }

  /** The next scripted failure, taken, or null. */
  End takeFailure() {
    return failures.poll();
  }

  Duration delay() {
    return delay;
  }

  EndAfter endAfter() {
    return endAfter;
  }

  boolean refusing() {
    return refuseAll;
  }

  private static StatusCode notOk(StatusCode code, String what) {
    Objects.requireNonNull(code, "code");
    if (code == StatusCode.OK) {
      throw new IllegalArgumentException(what + " needs an error code, not OK");
    }
    return code;
  }
}
