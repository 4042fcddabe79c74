package dev.reviewapps.controller.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few GitHub REST endpoints review-apps uses (deployments, deployment statuses, pull requests,
 * issue comments), over java.net.http with Jackson: no GitHub client library resolves from this
 * project's Maven mirror. Each call is retried on a connection error or a 5xx (three tries), and
 * waits out a rate limit as GitHub documents it: {@code Retry-After} seconds on a 403 or 429, or
 * until {@code X-RateLimit-Reset} when {@code X-RateLimit-Remaining} is 0 (never longer than {@code
 * maxWait}: then the call fails and its caller tries again later). Runs on the reporter's own
 * thread, never on a reconcile's.
 */
public final class GitHubApi {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final int TRIES = 3;
  private static final int MAX_PAGES = 20;

  private final URI base;
  private final String repository;
  private final Optional<String> token;
  private final HttpClient http;
  private final Duration maxWait;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ObjectMapper json = new ObjectMapper();

  /** Waits between tries; tests count instead of waiting. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** A call GitHub refused for good (or a wait longer than allowed). */
  public static final class GitHubException extends Exception {
    private final int status;

    GitHubException(String message, int status) {
      super(message);
      this.status = status;
    }

    /** The HTTP status, or 0 when GitHub was not reached. */
    public int status() {
      return status;
    }
  }

  /**
   * @param base {@code https://api.github.com} or an Enterprise {@code https://host/api/v3}
   * @param repository {@code owner/name}
   * @param token sent as a bearer token to {@code base}'s host only; never logged
   */
  public GitHubApi(
      URI base,
      String repository,
      Optional<String> token,
      Duration maxWait,
      Clock clock,
      Sleeper sleeper) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.repository = repository;
    this.token = token;
    this.maxWait = maxWait;
    this.clock = clock;
    this.sleeper = sleeper;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The repository's {@code owner/name}. */
  public String repository() {
    return repository;
  }

  /** Creates a deployment of {@code sha} to {@code environment} (transient, not production). */
  public long createDeployment(String sha, String environment, String description)
      throws GitHubException {
    ObjectNode body = json.createObjectNode();
    body.put("ref", sha);
    body.put("environment", environment);
    body.put("description", cut(description));
    body.put("transient_environment", true);
    body.put("production_environment", false);
    body.put("auto_merge", false);
    body.putArray("required_contexts");
    return call("POST", repo("/deployments"), body).path("id").asLong();
  }

  /** The newest deployment of {@code sha} (any sha when empty) to {@code environment}. */
  public Optional<Long> findDeployment(Optional<String> sha, String environment)
      throws GitHubException {
    String query =
        "?environment="
            + enc(environment)
            + sha.map(s -> "&sha=" + enc(s)).orElse("")
            + "&per_page=1";
    JsonNode list = call("GET", repo("/deployments" + query), null);
    return list.isArray() && list.size() > 0
        ? Optional.of(list.get(0).path("id").asLong())
        : Optional.empty();
  }

  /**
   * Adds a status to a deployment: {@code in_progress}, {@code success}, {@code failure}, {@code
   * inactive}.
   */
  public void deploymentStatus(
      long deployment, String state, Optional<String> environmentUrl, String description)
      throws GitHubException {
    ObjectNode body = json.createObjectNode();
    body.put("state", state);
    body.put("description", cut(description));
    environmentUrl.ifPresent(u -> body.put("environment_url", u));
    call("POST", repo("/deployments/" + deployment + "/statuses"), body);
  }

  /** The open pull request whose head is {@code branch} of this repository, if any. */
  public Optional<Long> openPullRequest(String branch) throws GitHubException {
    String owner = repository.substring(0, repository.indexOf('/'));
    JsonNode list = call("GET", repo("/pulls?state=open&head=" + enc(owner + ":" + branch)), null);
    return list.isArray() && list.size() > 0
        ? Optional.of(list.get(0).path("number").asLong())
        : Optional.empty();
  }

  /**
   * The ID of the first comment on issue (or pull request) {@code number} containing {@code
   * marker}.
   */
  public Optional<Long> findComment(long number, String marker) throws GitHubException {
    URI page = repo("/issues/" + number + "/comments?per_page=100");
    for (int pages = 0; pages < MAX_PAGES; pages++) {
      HttpResponse<String> response = send("GET", page, null);
      for (JsonNode comment : parse(response)) {
        if (comment.path("body").asText("").contains(marker)) {
          return Optional.of(comment.path("id").asLong());
        }
      }
      Matcher next = response.headers().firstValue("Link").map(NEXT::matcher).orElse(null);
      if (next == null || !next.find()) {
        return Optional.empty();
      }
      page = onBase(URI.create(next.group(1)));
    }
    return Optional.empty();
  }

  public long createComment(long number, String body) throws GitHubException {
    ObjectNode node = json.createObjectNode().put("body", body);
    return call("POST", repo("/issues/" + number + "/comments"), node).path("id").asLong();
  }

  public void updateComment(long commentId, String body) throws GitHubException {
    ObjectNode node = json.createObjectNode().put("body", body);
    call("PATCH", repo("/issues/comments/" + commentId), node);
  }

  private JsonNode call(String method, URI uri, ObjectNode body) throws GitHubException {
    return parse(send(method, uri, body));
  }

  private JsonNode parse(HttpResponse<String> response) throws GitHubException {
    try {
      return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    } catch (IOException e) {
      throw new GitHubException("GitHub's answer is not JSON", response.statusCode());
    }
  }

  private HttpResponse<String> send(String method, URI uri, ObjectNode body)
      throws GitHubException {
    String what = method + " " + uri.getPath();
    GitHubException last = null;
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last =
            new GitHubException(
                what + ": cannot reach GitHub (" + e.getClass().getSimpleName() + ")", 0);
        pause(Duration.ofSeconds(attempt), what);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitHubException(what + ": interrupted", 0);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return response;
      }
      Optional<Duration> limited = rateLimitWait(response);
      if (limited.isPresent()) {
        if (limited.get().compareTo(maxWait) > 0) {
          throw new GitHubException(
              what + ": rate limited for " + limited.get().toSeconds() + " s more", status);
        }
        pause(limited.get(), what);
        attempt--; // a rate limit is no failed try
        continue;
      }
      last = new GitHubException(what + ": GitHub answered " + status + message(response), status);
      if (status < 500) {
        throw last;
      }
      pause(Duration.ofSeconds(attempt), what);
    }
    throw last;
  }

  /** How long GitHub asks to wait, for a 403 or 429 that is a rate limit. */
  private Optional<Duration> rateLimitWait(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status != 403 && status != 429) {
      return Optional.empty();
    }
    Optional<String> retryAfter = response.headers().firstValue("retry-after");
    if (retryAfter.isPresent() && retryAfter.get().matches("[0-9]{1,6}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.get())));
    }
    boolean exhausted =
        response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent();
    Optional<String> reset = response.headers().firstValue("x-ratelimit-reset");
    if (exhausted && reset.isPresent() && reset.get().matches("[0-9]{1,12}")) {
      Duration until =
          Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.get())));
      return Optional.of(until.isNegative() ? Duration.ZERO : until.plusSeconds(1));
    }
    return Optional.empty();
  }

  private void pause(Duration d, String what) throws GitHubException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitHubException(what + ": interrupted", 0);
    }
  }

  private String message(HttpResponse<String> response) {
    try {
      String m = json.readTree(response.body()).path("message").asText("");
      return m.isEmpty() ? "" : ": " + cut(m);
    } catch (IOException e) {
      return "";
    }
  }

  private HttpRequest request(String method, URI uri, ObjectNode body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b.build();
  }

  private URI repo(String pathAndQuery) {
    return URI.create(base + "/repos/" + repository + pathAndQuery);
  }

  /** A pagination link is followed (with the token) only on the configured API host and path. */
  private URI onBase(URI next) throws GitHubException {
    boolean same =
        base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
            && base.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
            && base.getPort() == next.getPort()
            && next.getRawUserInfo() == null
            && next.getPath() != null
            && next.getPath().startsWith(base.getPath() + "/repos/")
            && !next.getPath().contains("/../");
    if (!same) {
      throw new GitHubException("GitHub's next page is not on " + base.getHost(), 0);
    }
    return next;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** GitHub refuses descriptions over 140 characters. */
  private static String cut(String s) {
    return s.length() <= 140 ? s : s.substring(0, 139) + "…";
  }
}
