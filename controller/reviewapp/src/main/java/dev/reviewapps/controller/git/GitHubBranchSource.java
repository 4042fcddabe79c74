package dev.reviewapps.controller.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists branches with GitHub's REST API ({@code GET /repos/{owner}/{repo}/branches}), following the
 * {@code Link: rel="next"} pages. Works with GitHub Enterprise through the API base URL.
 */
public final class GitHubBranchSource implements BranchSource {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  // A runaway pagination (a server that always says "next") must end; 100 pages of 100 is
  // 10,000 branches, more than any repository with review apps has.
  private static final int MAX_PAGES = 100;

  private final URI apiBase;
  private final String owner;
  private final String repository;
  private final Optional<String> token;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param apiBase {@code https://api.github.com}, or an Enterprise {@code https://host/api/v3}
   * @param token a token with read access to the repository's contents (optional for public
   *     repositories); never logged
   */
  public GitHubBranchSource(
      URI apiBase, String owner, String repository, Optional<String> token, Duration timeout) {
    this.apiBase = apiBase;
    this.owner = owner;
    this.repository = repository;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Set<String> branches() throws BranchListingException {
    Set<String> branches = new HashSet<>();
    String base = apiBase.toString().replaceAll("/+$", "");
    URI page = URI.create(base + "/repos/" + owner + "/" + repository + "/branches?per_page=100");
    for (int pages = 0; pages < MAX_PAGES; pages++) {
      HttpResponse<String> response = get(page);
      if (response.statusCode() != 200) {
        throw new BranchListingException(
            "GitHub answered "
                + response.statusCode()
                + " for the branches of "
                + describe()
                + rateLimitHint(response));
      }
      try {
        JsonNode array = json.readTree(response.body());
        if (!array.isArray()) {
          throw new BranchListingException("GitHub's branch list is not a JSON array");
        }
        for (JsonNode branch : array) {
          String name = branch.path("name").asText("");
          if (name.isEmpty()) {
            throw new BranchListingException("a branch without a name in GitHub's answer");
          }
          branches.add(name);
        }
      } catch (IOException e) {
        throw new BranchListingException("GitHub's branch list is not valid JSON", e);
      }
      Optional<URI> next = nextPage(response);
      if (next.isEmpty()) {
        return Set.copyOf(branches);
      }
      page = onApiHost(next.get());
    }
    throw new BranchListingException(
        "more than " + MAX_PAGES + " pages of branches for " + describe());
  }

  private HttpResponse<String> get(URI uri) throws BranchListingException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .GET();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BranchListingException(
          "cannot reach GitHub for " + describe() + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BranchListingException("interrupted while listing " + describe(), e);
    }
  }

  static Optional<URI> nextPage(HttpResponse<?> response) throws BranchListingException {
    Optional<Matcher> link =
        response.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find);
    if (link.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new URI(link.get().group(1)).normalize());
    } catch (URISyntaxException e) {
      throw new BranchListingException("GitHub's next page link is no URI");
    }
  }

  /**
   * {@code next} when it is on the configured API host (scheme, host and port) and under its path;
   * the token is sent only there, so a forged or misdirected {@code Link} header cannot carry it to
   * another host.
   */
  private URI onApiHost(URI next) throws BranchListingException {
    String basePath = apiBase.normalize().getPath().replaceAll("/+$", "");
    boolean same =
        apiBase.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
            && apiBase.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
            && apiBase.getPort() == next.getPort()
            && next.getRawUserInfo() == null
            && next.getPath() != null
            && next.getPath().startsWith(basePath + "/repos/")
            && !next.getPath().contains("/../");
    if (!same) {
      throw new BranchListingException(
          "GitHub's next page is not on the configured API host "
              + apiBase.getHost()
              + ": refusing to follow it (the token goes only to that host)");
    }
    return next;
  }

  private static String rateLimitHint(HttpResponse<?> response) {
    return response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent()
        ? " (rate limit exhausted)"
        : "";
  }

  @Override
  public String describe() {
    return "github:" + owner + "/" + repository;
  }
}
