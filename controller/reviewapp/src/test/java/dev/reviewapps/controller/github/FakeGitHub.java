package dev.reviewapps.controller.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GitHub's REST endpoints that review-apps uses, answered as GitHub's documentation describes, on a
 * loopback port: deployments and their statuses, open pull requests by head branch, issue comments.
 * Records every call; answers queued with {@link #answerNext} come first (rate limits, outages).
 */
public final class FakeGitHub implements AutoCloseable {
  public static final String REPO = "acme/shop";
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Call(
      String method, String path, String query, JsonNode body, String authorization) {}

  public record Deployment(long id, String sha, String environment, JsonNode request) {}

  public record Status(long deployment, String state, String environmentUrl, String description) {}

  public record Canned(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final AtomicLong ids = new AtomicLong(100);
  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final List<Deployment> deployments = new CopyOnWriteArrayList<>();
  public final List<Status> statuses = new CopyOnWriteArrayList<>();
  public final Map<String, Long> pulls = Collections.synchronizedMap(new HashMap<>());
  public final Map<Long, String> comments = Collections.synchronizedMap(new LinkedHashMap<>());
  private final ConcurrentLinkedQueue<Canned> next = new ConcurrentLinkedQueue<>();
  public volatile boolean duplicateDeploymentsRefused;

  public FakeGitHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next call (whatever it is) gets this answer. */
  public void answerNext(int status, Map<String, String> headers, String body) {
    next.add(new Canned(status, headers, body));
  }

  public List<Status> statusesOf(long deployment) {
    return statuses.stream().filter(s -> s.deployment() == deployment).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    JsonNode body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    calls.add(
        new Call(method, path, query, body, ex.getRequestHeaders().getFirst("Authorization")));
    Canned canned = next.poll();
    if (canned != null) {
      canned.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      send(ex, canned.status(), canned.body());
      return;
    }
    String repo = "/repos/" + REPO;
    if (!path.startsWith(repo + "/")) {
      send(ex, 404, "{\"message\":\"Not Found\"}");
      return;
    }
    String rest = path.substring(repo.length());
    Map<String, String> q = query(query);
    if (method.equals("POST") && rest.equals("/deployments")) {
      String sha = body.path("ref").asText();
      String env = body.path("environment").asText();
      if (duplicateDeploymentsRefused
          && deployments.stream()
              .anyMatch(d -> d.sha().equals(sha) && d.environment().equals(env))) {
        send(ex, 422, "{\"message\":\"Validation Failed\"}");
        return;
      }
      long id = ids.incrementAndGet();
      deployments.add(new Deployment(id, sha, env, body));
      send(ex, 201, "{\"id\":" + id + ",\"sha\":\"" + sha + "\"}");
    } else if (method.equals("GET") && rest.equals("/deployments")) {
      ArrayNode list = JSON.createArrayNode();
      List<Deployment> newestFirst = new ArrayList<>(deployments);
      Collections.reverse(newestFirst);
      for (Deployment d : newestFirst) {
        if (d.environment().equals(q.get("environment"))
            && (!q.containsKey("sha") || d.sha().equals(q.get("sha")))) {
          list.addObject().put("id", d.id()).put("sha", d.sha());
        }
      }
      send(ex, 200, list.toString());
    } else if (method.equals("POST") && rest.matches("/deployments/\\d+/statuses")) {
      long id = Long.parseLong(rest.split("/")[2]);
      statuses.add(
          new Status(
              id,
              body.path("state").asText(),
              body.path("environment_url").asText(null),
              body.path("description").asText()));
      send(ex, 201, "{\"id\":" + ids.incrementAndGet() + "}");
    } else if (method.equals("GET") && rest.equals("/pulls")) {
      String head = q.getOrDefault("head", "");
      Long number = pulls.get(head.substring(head.indexOf(':') + 1));
      send(ex, 200, number == null ? "[]" : "[{\"number\":" + number + "}]");
    } else if (method.equals("GET") && rest.matches("/issues/\\d+/comments")) {
      ArrayNode list = JSON.createArrayNode();
      synchronized (comments) {
        comments.forEach((id, text) -> list.addObject().put("id", id).put("body", text));
      }
      send(ex, 200, list.toString());
    } else if (method.equals("POST") && rest.matches("/issues/\\d+/comments")) {
      long id = ids.incrementAndGet();
      comments.put(id, body.path("body").asText());
      send(ex, 201, "{\"id\":" + id + "}");
    } else if (method.equals("PATCH") && rest.matches("/issues/comments/\\d+")) {
      long id = Long.parseLong(rest.substring(rest.lastIndexOf('/') + 1));
      if (!comments.containsKey(id)) {
        send(ex, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      comments.put(id, body.path("body").asText());
      send(ex, 200, "{\"id\":" + id + "}");
    } else {
      send(ex, 404, "{\"message\":\"Not Found\"}");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
