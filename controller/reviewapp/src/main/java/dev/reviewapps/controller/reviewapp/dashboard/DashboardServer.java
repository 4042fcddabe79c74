package dev.reviewapps.controller.reviewapp.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reviewapps.controller.wiring.ProcessService;
import dev.reviewapps.model.naming.AppName;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only dashboard on its own port: {@code /} lists every app, {@code /apps/NAME} shows one,
 * {@code /fragment/...} serve the changing part of each for the page's two-second refresh, {@code
 * /static/...} the style sheet and the script. Server-side rendered by precompiled jte templates
 * (HTML content type: every value escaped for where it stands); a Content-Security-Policy allows
 * only this server's own script and style, so markup that got through anyway would not run.
 *
 * <p>With a token configured every request must carry it, as {@code Authorization: Bearer TOKEN} or
 * as the password of basic auth (any user name), which a browser asks for.
 */
public final class DashboardServer implements ProcessService {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final int MAX_QUERY = 200;
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final DashboardSettings settings;
  private final DashboardModel model;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private HttpServer server;
  private ExecutorService executor;

  public DashboardServer(DashboardSettings settings, DashboardModel model) {
    this.settings = settings;
    this.model = model;
  }

  @Override
  public synchronized void start() throws IOException {
    if (!settings.enabled() || server != null) {
      return;
    }
    HttpServer created =
        HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 32);
    created.createContext("/", this::handle);
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "dashboard-http");
              t.setDaemon(true);
              return t;
            });
    created.setExecutor(executor);
    created.start();
    server = created;
    log.info(
        "dashboard on http://{}:{}/ ({})",
        settings.bind(),
        port(),
        settings.token().isPresent() ? "token required" : "open, loopback only");
  }

  /** The port it listens on (useful when configured with port 0). */
  public synchronized int port() {
    return server.getAddress().getPort();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "read-only: GET and HEAD only\n");
        return;
      }
      if (!authorized(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"review-apps\"");
        send(exchange, 401, "text/plain", "a token is required\n");
        return;
      }
      route(exchange);
    } catch (RuntimeException e) {
      // Consul unreachable, say: one line in the log, a plain 503 to the browser, no stack trace.
      log.warn("dashboard {}: {}", exchange.getRequestURI().getPath(), e.toString());
      send(exchange, 503, "text/plain", "the dashboard cannot read its data right now\n");
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String q = query.getOrDefault("q", "");
    q = q.length() > MAX_QUERY ? q.substring(0, MAX_QUERY) : q;
    String phase = query.getOrDefault("phase", "");
    if (!DashboardModel.phases().contains(phase)) {
      phase = "";
    }
    switch (path) {
      case "/" -> {
        Map<String, Object> params = new HashMap<>();
        params.put("rows", model.rows(q, phase));
        params.put("query", q);
        params.put("phase", phase);
        params.put("phases", DashboardModel.phases());
        params.put("liveUrl", "/fragment/apps?q=" + encode(q) + "&phase=" + encode(phase));
        html(exchange, "dashboard/list.jte", params);
      }
      case "/fragment/apps" ->
          html(exchange, "dashboard/rows.jte", Map.of("rows", model.rows(q, phase)));
      case "/static/dashboard.css" -> resource(exchange, "dashboard.css", "text/css");
      case "/static/dashboard.js" -> resource(exchange, "dashboard.js", "text/javascript");
      default -> app(exchange, path);
    }
  }

  private void app(HttpExchange exchange, String path) throws IOException {
    boolean fragment = path.startsWith("/fragment/apps/");
    String prefix = fragment ? "/fragment/apps/" : "/apps/";
    Optional<AppPage> page =
        path.startsWith(prefix)
            ? AppName.parse(path.substring(prefix.length())).flatMap(n -> model.page(n.value()))
            : Optional.empty();
    if (page.isEmpty()) {
      send(exchange, 404, "text/plain", "no such page or review app\n");
      return;
    }
    if (fragment) {
      html(exchange, "dashboard/appBody.jte", Map.of("page", page.get()));
    } else {
      html(
          exchange,
          "dashboard/app.jte",
          Map.of("page", page.get(), "liveUrl", "/fragment/apps/" + page.get().row().name()));
    }
  }

  private void html(HttpExchange exchange, String template, Map<String, Object> params)
      throws IOException {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    send(exchange, 200, "text/html; charset=utf-8", out.toString());
  }

  private void resource(HttpExchange exchange, String name, String type) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + name));
      }
      send(
          exchange,
          200,
          type + "; charset=utf-8",
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private boolean authorized(HttpExchange exchange) {
    if (settings.token().isEmpty()) {
      return true;
    }
    byte[] expected = settings.token().get().getBytes(StandardCharsets.UTF_8);
    String header =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    byte[] given = new byte[0];
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        given = pair.substring(pair.indexOf(':') + 1).getBytes(StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        return false;
      }
    }
    // Constant time: the comparison says nothing about how much of a guess was right.
    return MessageDigest.isEqual(expected, given);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badEscape) {
        // A broken %-escape counts as absent, like a parameter that was never sent.
      }
    }
    return params;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
