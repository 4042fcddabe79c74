package dev.reviewapps.devstack.consul.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Many keep-alive HTTP/1.1 connections driven by one selector on the calling thread: the watchers
 * of the bench. {@code java.net.http} with 2,000 connections spends seconds in its own hand-offs,
 * which would be measured instead of the server; plain sockets measure the server.
 */
final class RawWatchers implements AutoCloseable {
  private static final class Connection {
    final SocketChannel channel;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    long answeredAt;
    int status;
    long index;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private final Selector selector;
  private final List<Connection> connections = new ArrayList<>();

  RawWatchers(InetSocketAddress server, int count) throws IOException {
    selector = Selector.open();
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open(server);
      channel.configureBlocking(false);
      Connection connection = new Connection(channel);
      channel.register(selector, SelectionKey.OP_READ, connection);
      connections.add(connection);
    }
  }

  /** Sends one GET on every connection. */
  void send(String pathAndQuery) throws IOException {
    byte[] request =
        ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (Connection c : connections) {
      c.received.reset();
      c.answeredAt = 0;
      ByteBuffer buffer = ByteBuffer.wrap(request);
      while (buffer.hasRemaining()) {
        c.channel.write(buffer);
      }
    }
  }

  /** Reads until every connection has a whole answer; false if {@code timeout} passed first. */
  boolean awaitAnswers(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int pending = (int) connections.stream().filter(c -> c.answeredAt == 0).count();
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    while (pending > 0) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      selector.select(left);
      for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
        SelectionKey key = it.next();
        it.remove();
        Connection c = (Connection) key.attachment();
        buffer.clear();
        int read = c.channel.read(buffer);
        if (read < 0) {
          throw new IOException("server closed a watcher's connection");
        }
        c.received.write(buffer.array(), 0, read);
        if (c.answeredAt == 0 && complete(c)) {
          c.answeredAt = System.nanoTime();
          pending--;
        }
      }
    }
    return true;
  }

  private static boolean complete(Connection c) {
    String text = c.received.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    long length = 0;
    for (String line : text.substring(0, end).split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http/1.1 ")) {
        c.status = Integer.parseInt(line.substring(9, 12));
      } else if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (lower.startsWith("x-consul-index:")) {
        c.index = Long.parseLong(line.substring(15).trim());
      }
    }
    return text.length() - end - 4 >= length;
  }

  /** When each connection got its answer ({@link System#nanoTime()}). */
  long[] answeredAt() {
    return connections.stream().mapToLong(c -> c.answeredAt).toArray();
  }

  /** The status codes of the last answers. */
  List<Integer> statuses() {
    return connections.stream().map(c -> c.status).toList();
  }

  /** The X-Consul-Index of the first connection's last answer. */
  long index() {
    return connections.get(0).index;
  }

  @Override
  public void close() throws IOException {
    for (Connection c : connections) {
      c.channel.close();
    }
    selector.close();
  }
}
