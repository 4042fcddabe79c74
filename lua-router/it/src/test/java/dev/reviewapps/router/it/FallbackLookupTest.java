package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no table at all (the watch has never succeeded and there is no snapshot) the router asks
 * Consul for each host directly: the one path on which a request's Host could reach Consul.
 */
class FallbackLookupTest {
  @TempDir Path dir;

  @Test
  void withoutATableEachValidHostIsLookedUpOnceAndBadHostsNeverReachConsul() throws Exception {
    try (RecordingConsul consul = new RecordingConsul();
        Backend web = Backend.start("web");
        NginxRouter router = NginxRouter.start(dir, consul.port(), Map.of())) {
      String host = "deploy-direct." + NginxRouter.DOMAIN;
      consul.put(Consul.ROUTES + host, web.address());

      assertThat(router.get(host).body()).isEqualTo("web");
      assertThat(router.get(host).body()).isEqualTo("web");
      assertThat(router.get("deploy-missing." + NginxRouter.DOMAIN).statusCode()).isEqualTo(404);
      assertThat(router.status().get("source").isNull()).isTrue();

      for (String bad :
          List.of("a?recurse", "../x", "x%2f..%2fy.review.test", "a?recurse.review.test")) {
        assertThat(router.rawStatus(bad.getBytes(StandardCharsets.US_ASCII))).isEqualTo(400);
      }

      List<String> lookups =
          consul.requests().stream().filter(r -> !r.contains("recurse=true")).toList();
      // Cached briefly: two requests for the same host made one lookup.
      assertThat(lookups)
          .containsExactlyInAnyOrder(
              "/v1/kv/review-apps/routes/" + host,
              "/v1/kv/review-apps/routes/deploy-missing." + NginxRouter.DOMAIN);
    }
  }

  @Test
  void withNoTableAndNoConsulTheAnswerIs503WithRetryAfter() throws Exception {
    int closedPort = NginxRouter.freePort();
    try (NginxRouter router = NginxRouter.start(dir, closedPort, Map.of())) {
      var response = router.get("deploy-any." + NginxRouter.DOMAIN);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).contains("7");
      assertThat(response.body()).contains("no route table yet");
    }
  }
}
