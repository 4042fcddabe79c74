package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consul going away must not take the review apps with it. */
class ConsulOutageTest {
  @TempDir Path dir;
  Consul consul;
  NginxRouter router;
  Backend web;
  final String host = "deploy-outage." + NginxRouter.DOMAIN;

  @BeforeEach
  void start() throws Exception {
    consul = Consul.start(dir.resolve("consul"));
    web = Backend.start("web");
    router = NginxRouter.start(dir.resolve("nginx"), consul.port(), Map.of());
    consul.putRoute(host, web.address());
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    if (consul != null) {
      consul.close();
    }
    if (web != null) {
      web.close();
    }
  }

  private void stopConsulAndAwaitWatchErrors() {
    consul.stop();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> router.status().at("/watches/routes/errors").asInt() > 0);
  }

  @Test
  void consulOutageKeepsServingTheLastTable() throws Exception {
    // The watch notices the outage (its long poll breaks) and counts errors...
    stopConsulAndAwaitWatchErrors();
    // ...while every request is still routed from the table in memory.
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = router.get(host);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("web");
    }
    assertThat(router.metrics())
        .containsPattern("router_sync_errors_total\\{watch=\"routes\"\\} [1-9]");
  }

  @Test
  void restartDuringOutageRoutesFromTheDiskSnapshot() throws Exception {
    consul.stop();
    router.stop();
    router.launch();

    HttpResponse<String> response = router.get(host);
    assertThat(response.statusCode()).as(router::errorLog).isEqualTo(200);
    assertThat(response.body()).isEqualTo("web");
    assertThat(router.status().get("source").asText()).isEqualTo("snapshot");
    assertThat(router.errorLog()).contains("loaded snapshot");
  }

  @Test
  void watchResumesWhenConsulReturns() throws Exception {
    stopConsulAndAwaitWatchErrors();
    consul.restart();
    try (Backend other = Backend.start("other")) {
      consul.putRoute(host, other.address());
      // Backoff is capped at 5 s, and the first query after an error does not block.
      await().atMost(Duration.ofSeconds(8)).until(() -> router.get(host).body().equals("other"));
    }
  }
}
