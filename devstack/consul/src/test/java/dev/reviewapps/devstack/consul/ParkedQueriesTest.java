package dev.reviewapps.devstack.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.devstack.consul.acl.AclRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Parked blocking queries hold no thread each, and one write answers all of them. */
class ParkedQueriesTest {
  private static final int WATCHERS = 300;

  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("devstack-consul"))
        .count();
  }

  private static void put(HttpClient http, String url, String body) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(url))
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The X-Consul-Index a read of {@code url} answers now: watchers parked on it wait. */
  private static long currentIndex(HttpClient http, String url) throws Exception {
    HttpResponse<String> now =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return Long.parseLong(now.headers().firstValue("X-Consul-Index").orElseThrow());
  }

  private static CompletableFuture<HttpResponse<String>> watch(HttpClient http, String url) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void threeHundredParkedQueriesUseAFewThreadsAndOneWriteAnswersThemAll() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ConsulStandIn consul = ConsulStandIn.start(ConsulConfig.defaults())) {
      String kv = consul.baseUrl() + "/v1/kv/";
      put(http, kv + "routes/a", "1");
      long index = currentIndex(http, kv + "routes/?recurse");
      List<CompletableFuture<HttpResponse<String>>> watchers = new ArrayList<>();
      for (int i = 0; i < WATCHERS; i++) {
        watchers.add(watch(http, kv + "routes/?recurse&wait=1m&index=" + index));
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> consul.parkedQueries() == WATCHERS);
      assertThat(serverThreads()).isLessThan(WATCHERS / 3);

      put(http, kv + "routes/b", "2");
      CompletableFuture.allOf(watchers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      for (CompletableFuture<HttpResponse<String>> watcher : watchers) {
        assertThat(watcher.join().body()).contains("\"Key\":\"routes/b\"");
      }
      assertThat(consul.parkedQueries()).isZero();
    }
  }

  @Test
  void watchersWithDifferentTokensWokenByOneWriteEachGetTheirOwnFilteredAnswer() throws Exception {
    String rules =
        """
        {"tokens": [{"SecretID": "root", "Management": true},
                    {"SecretID": "narrow", "Rules": {"key_prefix": {"shared/a": {"policy": "read"}}}}]}
        """;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ConsulStandIn consul =
        ConsulStandIn.start(ConsulConfig.defaults().withAclRules(AclRules.parse(rules)))) {
      String kv = consul.baseUrl() + "/v1/kv/";
      put(http, kv + "shared/b?token=root", "b");
      long index = currentIndex(http, kv + "shared/?recurse&token=root");
      String again = kv + "shared/?recurse&wait=1m&index=" + index + "&token=";
      List<CompletableFuture<HttpResponse<String>>> rootAgain = new ArrayList<>();
      List<CompletableFuture<HttpResponse<String>>> narrowAgain = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        rootAgain.add(watch(http, again + "root"));
        narrowAgain.add(watch(http, again + "narrow"));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> consul.parkedQueries() == 10);

      put(http, kv + "shared/a?token=root", "a");

      for (CompletableFuture<HttpResponse<String>> w : rootAgain) {
        assertThat(w.get(30, TimeUnit.SECONDS).body()).contains("\"shared/a\"", "\"shared/b\"");
      }
      for (CompletableFuture<HttpResponse<String>> w : narrowAgain) {
        String body = w.get(30, TimeUnit.SECONDS).body();
        assertThat(body).contains("\"shared/a\"").doesNotContain("shared/b");
      }
    }
  }

  @Test
  void stoppingTheStandInAnswersParkedQueries() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ConsulStandIn consul = ConsulStandIn.start(ConsulConfig.defaults());
    CompletableFuture<HttpResponse<String>> watcher =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(consul.baseUrl() + "/v1/kv/x?index=1&wait=5m"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> consul.parkedQueries() == 1);

    consul.close();

    assertThat(watcher.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
  }
}
