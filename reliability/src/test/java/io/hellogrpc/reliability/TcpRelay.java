package io.hellogrpc.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay on 127.0.0.1 to a target port, with a switch that makes it go silent: from then on
 * it forwards nothing in either direction, yet keeps every connection open, as a network path does
 * when a cable is cut or a NAT forgets the flow. Two pumping threads per connection.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean silent;

  private TcpRelay(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
    start("relay-accept", this::accept);
  }

  static TcpRelay to(int targetPort) throws IOException {
    return new TcpRelay(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), targetPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding, for good, without closing anything. */
  void goSilent() {
    silent = true;
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        sockets.add(client);
        Socket target = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
        sockets.add(target);
        start("relay-to-target", () -> pump(client, target));
        start("relay-to-client", () -> pump(target, client));
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
        if (silent) {
          closing.await(); // swallow this and read no more: both peers' writes back up
          return;
        }
        out.write(buffer, 0, read);
      }
      if (!silent) {
        to.shutdownOutput(); // pass an orderly close on, while the path is alive
      }
    } catch (IOException | InterruptedException e) {
      // a socket was closed: the relay is closing
    }
  }

  private void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    closing.countDown();
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    try {
      for (Thread thread : threads) {
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
