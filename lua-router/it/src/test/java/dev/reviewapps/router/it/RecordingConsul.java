package dev.reviewapps.router.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Consul that fails every watch (so the router never gets a table) and answers single-key reads
 * from a map, recording every request line it receives: proof of what did and did not reach it.
 */
final class RecordingConsul implements AutoCloseable {
  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> keys = new ConcurrentHashMap<>();

  RecordingConsul() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          String uri = exchange.getRequestURI().toString();
          requests.add(uri);
          String path = exchange.getRequestURI().getPath();
          String key = path.startsWith("/v1/kv/") ? path.substring("/v1/kv/".length()) : "";
          exchange.getResponseHeaders().add("X-Consul-Index", "5");
          if (uri.contains("recurse")) {
            exchange.sendResponseHeaders(500, -1);
          } else if (keys.containsKey(key)) {
            String value =
                Base64.getEncoder().encodeToString(keys.get(key).getBytes(StandardCharsets.UTF_8));
            byte[] body =
                ("[{\"Key\":\"" + key + "\",\"Value\":\"" + value + "\",\"ModifyIndex\":5}]")
                    .getBytes(StandardCharsets.UTF_8);
            // Length 0 means chunked transfer encoding: the router's client must read both.
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(body);
          } else {
            // Consul's answer for a missing key: 404 and an empty body.
            exchange.sendResponseHeaders(404, -1);
          }
          exchange.close();
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  void put(String key, String value) {
    keys.put(key, value);
  }

  List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
