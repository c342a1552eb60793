package io.hellogrpc.server.internal;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.hellogrpc.api.internal.HeldBytes;
import io.hellogrpc.api.internal.HelloMethods;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts a message's bytes in the {@link MemoryBudget} while grpc reads it, before it is whole:
 * grpc holds a message it was asked for until its last byte arrives, and a client that sends a
 * large message slowly, or never finishes it, makes the server hold what it sent so far.
 *
 * <p>grpc reports the bytes of a message body as it reads them ({@code inboundWireSize}) and the
 * message once it is whole ({@code inboundMessageRead}); from then on HelloService's handlers
 * count what they keep. Health and reflection keep a request until their call ends (a unary
 * check waits for the half-close), so for them the last whole message stays counted until then.
 * They take a few bytes per request and answer anyone, token or not: a message to them over
 * {@link #SMALL_SERVICE_MAX_MESSAGE} costs the client its connection.
 */
final class MessageBytes extends ServerStreamTracer.Factory {
  /** The largest request health and reflection read: theirs are tens of bytes. */
  static final long SMALL_SERVICE_MAX_MESSAGE = 64 * 1024;

  private static final Logger logger = Logger.getLogger("io.hellogrpc.server");
  private static final String HELLO_SERVICE = HelloMethods.SERVICE_NAME + "/";

  private final MemoryBudget budget;
  private final NettyConnections connections;
  private final LogThrottle cuts = new LogThrottle(Duration.ofMinutes(1));

  MessageBytes(MemoryBudget budget, NettyConnections connections) {
    this.budget = budget;
    this.connections = connections;
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    boolean hello = fullMethodName.startsWith(HELLO_SERVICE);
    // grpc makes a String of the name for each call; keeping it would cost each open session
    // 72 bytes, and a HelloService call, whose size grpc's maxInboundMessageSize bounds, is never
    // cut here and so never named.
    return hello
        ? new Stream(HELLO_SERVICE, Long.MAX_VALUE, false)
        : new Stream(fullMethodName, SMALL_SERVICE_MAX_MESSAGE, true);
  }

  private final class Stream extends ServerStreamTracer {
    private final String method;
    private final long maxMessage;
    private final boolean keepsWholeMessages;
    private SocketAddress remote;
    private HeldBytes account = HeldBytes.NONE;
    private long partial; // bytes of the message being read
    private long kept; // bytes of the last whole message, while the service keeps it

    Stream(String method, long maxMessage, boolean keepsWholeMessages) {
      this.method = method;
      this.maxMessage = maxMessage;
      this.keepsWholeMessages = keepsWholeMessages;
    }

    @Override
    public synchronized void serverCallStarted(ServerCallInfo<?, ?> call) {
      // Before any message is read: grpc reads one only once the started call asks for it.
      remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      account = budget.accountFor(remote);
    }

    @Override
    public synchronized void inboundWireSize(long bytes) {
      partial += bytes;
      account.hold(bytes);
      if (partial > maxMessage && partial - bytes <= maxMessage) {
        NettyConnections.Connection connection = connections.find(remote);
        if (connection != null && connection.cut()) {
          cuts.log(
              logger,
              Level.WARNING,
              "cut the connection from " + remote + ": it sent " + LogText.escape(method)
                  + " a message of more than " + maxMessage + " bytes; health and reflection"
                  + " requests take a few");
        }
      }
    }

    @Override
    public synchronized void inboundMessageRead(
        int seqNo, long optionalWireSize, long optionalUncompressedSize) {
      if (keepsWholeMessages) {
        account.release(kept); // the one before is answered by now
        kept = partial;
      } else {
        account.release(partial); // whole now: the HelloService handler that takes it counts it
      }
      partial = 0;
    }

    @Override
    public synchronized void streamClosed(Status status) {
      account.release(partial + kept);
      partial = 0;
      kept = 0;
    }
  }
}
