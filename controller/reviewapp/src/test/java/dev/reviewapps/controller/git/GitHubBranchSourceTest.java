package dev.reviewapps.controller.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local stand-in that answers as GitHub's REST API documents. */
class GitHubBranchSourceTest {
  private HttpServer github;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  // Where the first page's Link header points; null: the real next page.
  private volatile String nextOverride;

  @BeforeEach
  void start() throws IOException {
    github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    github.createContext("/repos/shop/web/branches", this::branches);
    github.start();
  }

  @AfterEach
  void stop() {
    github.stop(0);
  }

  // 250 branches over three pages of 100, linked with rel="next" as GitHub does.
  private void branches(HttpExchange exchange) throws IOException {
    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
    String query = exchange.getRequestURI().getQuery();
    int page = 1;
    for (String param : query.split("&")) {
      if (param.startsWith("page=")) {
        page = Integer.parseInt(param.substring("page=".length()));
      }
    }
    StringBuilder body = new StringBuilder("[");
    for (int i = (page - 1) * 100; i < Math.min(page * 100, 250); i++) {
      body.append(i % 100 == 0 ? "" : ",")
          .append("{\"name\":\"deploy-")
          .append(i)
          .append("\",\"commit\":{\"sha\":\"abc\"},\"protected\":false}");
    }
    body.append("]");
    if (page < 3 && nextOverride != null) {
      exchange.getResponseHeaders().add("Link", "<" + nextOverride + ">; rel=\"next\"");
    } else if (page < 3) {
      String next =
          "http://127.0.0.1:"
              + github.getAddress().getPort()
              + "/repos/shop/web/branches?per_page=100&page="
              + (page + 1);
      exchange.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\"");
    }
    byte[] bytes =
        status == 200 ? body.toString().getBytes(StandardCharsets.UTF_8) : "{}".getBytes();
    if (status != 200) {
      exchange.getResponseHeaders().add("x-ratelimit-remaining", "0");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private BranchSource source(Optional<String> token) {
    return new GitHubBranchSource(
        URI.create("http://127.0.0.1:" + github.getAddress().getPort() + "/"),
        "shop",
        "web",
        token,
        Duration.ofSeconds(10));
  }

  @Test
  void followsEveryPageAndSendsTheToken() throws Exception {
    assertThat(source(Optional.of("ghp_token")).branches())
        .hasSize(250)
        .contains("deploy-0", "deploy-99", "deploy-100", "deploy-249");
    assertThat(authorizations).hasSize(3).containsOnly("Bearer ghp_token");
  }

  @Test
  void anErrorAnswerIsAFailureNotAnEmptyListing() {
    status = 403;
    assertThatThrownBy(() -> source(Optional.of("ghp_token")).branches())
        .isInstanceOf(BranchListingException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("rate limit")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ghp_token"));
  }

  @Test
  void anUnreachableHostIsAFailure() {
    github.stop(0);
    assertThatThrownBy(() -> source(Optional.empty()).branches())
        .isInstanceOf(BranchListingException.class);
  }

  @Test
  void aNextPageOnAnotherHostIsRefusedAndTheTokenNeverGoesThere() throws Exception {
    HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> stolen = new CopyOnWriteArrayList<>();
    elsewhere.createContext(
        "/",
        exchange -> {
          stolen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("[]".getBytes(StandardCharsets.UTF_8));
          exchange.close();
        });
    elsewhere.start();
    try {
      int port = elsewhere.getAddress().getPort();
      int own = github.getAddress().getPort();
      for (String next :
          List.of(
              "http://127.0.0.1:" + port + "/repos/shop/web/branches?page=2",
              "http://localhost:" + own + "/repos/shop/web/branches?page=2",
              "https://127.0.0.1:" + own + "/repos/shop/web/branches?page=2",
              "http://127.0.0.1:" + own + "/../other/branches?page=2",
              "not a uri")) {
        nextOverride = next;
        assertThatThrownBy(() -> source(Optional.of("ghp_token")).branches())
            .as(next)
            .isInstanceOf(BranchListingException.class)
            .hasMessageContaining("next page")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ghp_token"));
      }
      assertThat(stolen).isEmpty();
    } finally {
      elsewhere.stop(0);
    }
  }
}
