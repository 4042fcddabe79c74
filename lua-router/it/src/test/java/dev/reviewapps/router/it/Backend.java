package dev.reviewapps.router.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A review app's web process: answers every request with its name, and remembers the client port of
 * each request so tests can tell whether the router reused a connection.
 */
final class Backend implements AutoCloseable {
  private final String name;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

  private Backend(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          clientPorts.add(exchange.getRemoteAddress().getPort());
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          headers.add(Map.copyOf(exchange.getRequestHeaders()));
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(threads);
    server.start();
  }

  static Backend start(String name) throws IOException {
    return new Backend(name);
  }

  /** {@code 127.0.0.1:port}, the route value format. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String name() {
    return name;
  }

  int requests() {
    return requests.get();
  }

  Set<Integer> clientPorts() {
    return clientPorts;
  }

  List<String> hosts() {
    return hosts;
  }

  /** Every request's headers, as received (names as the JDK server normalizes them). */
  List<Map<String, List<String>>> headers() {
    return headers;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
