package dev.reviewapps.controller.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reviewapps.controller.config.HttpSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics}, {@code /healthz} and {@code /readyz}. Readiness is 200 only when every
 * {@link ReadinessCheck} holds; otherwise 503 with one line per failing check. A follower is ready:
 * it serves metrics and takes over when the leader goes.
 */
public final class HealthServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private HealthServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts serving. */
  public static HealthServer start(
      HttpSettings settings, PrometheusMeterRegistry registry, List<ReadinessCheck> checks)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
    List<ReadinessCheck> readiness = List.copyOf(checks);
    server.createContext(
        "/metrics", exchange -> reply(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    server.createContext("/healthz", exchange -> reply(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          List<String> problems = new ArrayList<>();
          for (ReadinessCheck check : readiness) {
            Optional<String> problem;
            try {
              problem = check.problem().get();
            } catch (RuntimeException e) {
              problem = Optional.of("check failed: " + e.getClass().getSimpleName());
            }
            problem.ifPresent(p -> problems.add(check.name() + ": " + p));
          }
          if (problems.isEmpty()) {
            reply(exchange, 200, "text/plain", "ok\n");
          } else {
            reply(exchange, 503, "text/plain", String.join("\n", problems) + "\n");
          }
        });
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "health-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    log.info("serving /metrics, /healthz and /readyz on {}", server.getAddress());
    return new HealthServer(server, executor);
  }

  private static void reply(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      // The contexts match by prefix; /metricsfoo is not /metrics.
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(exchange.getHttpContext().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port it listens on (useful when configured with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
