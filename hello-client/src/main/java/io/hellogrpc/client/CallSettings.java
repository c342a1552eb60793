package io.hellogrpc.client;

import io.hellogrpc.api.internal.Settings;
import io.hellogrpc.client.internal.CallSettingsAccess;
import io.hellogrpc.client.internal.RequestHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings for one call or session, beside the client's defaults: a deadline, an idle timeout
 * (sessions only) and request headers. Immutable and thread-safe: build one, use it for as many
 * calls as you like.
 *
 * <pre>{@code
 * CallSettings settings = CallSettings.builder()
 *     .deadline(Duration.ofSeconds(2))            // instead of helloDeadline / chatDeadline
 *     .header("x-request-id", requestId)          // beside the client's headers
 *     .build();
 * String greeting = client.hello("you", settings);
 * ChatSession chat = client.openChat(settings);
 * }</pre>
 *
 * <p>What is not set here comes from the client's builder: {@code helloDeadline} for
 * {@code hello}, {@code chatDeadline} and {@code chatIdleTimeout} for sessions, and its headers.
 * A header set here replaces the client's header of the same name for this call.
 */
public final class CallSettings {
  private static final CallSettings DEFAULTS = new Builder().build();

  static {
    CallSettingsAccess.set(settings -> settings.headers);
  }

  private final Duration deadline;
  private final Duration idleTimeout;
  private final RequestHeaders headers;

  private CallSettings(Builder builder) {
    this.deadline = builder.deadline;
    this.idleTimeout = builder.idleTimeout;
    this.headers = RequestHeaders.of(builder.headers);
  }

  /**
   * A builder with nothing set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * No settings of its own: every call made with it is as one made without.
   *
   * @return the settings of a call made without any
   */
  public static CallSettings defaults() {
    return DEFAULTS;
  }

  /**
   * The deadline, or empty to use the client's.
   *
   * @return the deadline, or empty
   */
  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * The idle timeout, or empty to use the client's.
   *
   * @return the idle timeout, or empty
   */
  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }

  /**
   * A builder starting from these settings, to derive a variant.
   *
   * @return a new builder with these settings
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.deadline = deadline;
    builder.idleTimeout = idleTimeout;
    builder.headers.putAll(headers.asMap());
    return builder;
  }

  @Override
  public String toString() {
    return "CallSettings{deadline=" + deadline + ", idleTimeout=" + idleTimeout
        + ", headers=" + headers.names() + "}";
  }

  /** Collects {@link CallSettings}. Setters check their argument at once. */
  public static final class Builder {
    private Duration deadline;
    private Duration idleTimeout;
    private final Map<String, Object> headers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * How long {@code hello} waits, or how long a session may last, before it fails with
     * {@code DEADLINE_EXCEEDED}; counted from the call. Replaces the client's
     * {@code helloDeadline} or {@code chatDeadline} for this call.
     *
     * @param deadline more than zero
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder deadline(Duration deadline) {
      this.deadline = Settings.positive("deadline", deadline);
      return this;
    }

    /**
     * Ends a session that has had no message in either direction for this long, with
     * {@code DEADLINE_EXCEEDED}. Replaces the client's {@code chatIdleTimeout} for this session.
     * For sessions only: {@code hello} refuses settings that have one.
     *
     * @param timeout more than zero
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Settings.positive("idleTimeout", timeout);
      return this;
    }

    /**
     * A request header, such as {@code header("x-request-id", "r-42")}, sent with this call beside
     * the client's headers (replacing the client's header of this name). Setting a name again
     * replaces its value. The rules are the client builder's {@link HelloClient.Builder#header}.
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException naming the header, if its name is not lowercase
     *     {@code a-z 0-9 - _ .}, ends in {@code -bin}, or is reserved, or its value has anything
     *     but visible ASCII and spaces
     */
    public Builder header(String name, String value) {
      RequestHeaders.checkAscii(name, value);
      headers.put(name, value);
      return this;
    }

    /**
     * A binary request header, whose name ends in {@code -bin}; gRPC base64-encodes it on the
     * wire and the server's handlers read the bytes back. The array is copied.
     *
     * @param name the header name
     * @param value its bytes
     * @return this builder
     * @throws IllegalArgumentException naming the header, if its name does not end in
     *     {@code -bin}, is not lowercase {@code a-z 0-9 - _ .}, or is reserved
     */
    public Builder binaryHeader(String name, byte[] value) {
      headers.put(name, RequestHeaders.checkBinary(name, value));
      return this;
    }

    /**
     * The settings collected so far.
     *
     * @return the settings, immutable
     */
    public CallSettings build() {
      return new CallSettings(this);
    }
  }
}
