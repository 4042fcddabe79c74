package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadTest {
  @TempDir Path dir;

  @Test
  void reloadDoesNotHangOnTheWatchersLongPoll() throws Exception {
    try (Consul consul = Consul.start(dir.resolve("consul"));
        Backend web = Backend.start("web");
        NginxRouter router = NginxRouter.start(dir.resolve("nginx"), consul.port(), Map.of())) {
      String host = "deploy-reload." + NginxRouter.DOMAIN;
      consul.putRoute(host, web.address());
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
      // Worker 0 is now parked in a 20 s blocking query.
      List<Long> before = router.workerPids();
      assertThat(before).hasSize(2);

      router.reload();

      // worker_shutdown_timeout is 1 s in these tests: far less than the 20 s long poll.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> before.stream().noneMatch(pid -> ProcessHandle.of(pid).isPresent()));
      assertThat(router.workerPids()).hasSize(2).doesNotContainAnyElementsOf(before);
      assertThat(router.get(host).body()).isEqualTo("web");
      // The new workers' watcher is live too.
      try (Backend other = Backend.start("other")) {
        consul.putRoute(host, other.address());
        await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).body().equals("other"));
      }
      assertThat(router.errorLog()).doesNotContain("watch failed");
    }
  }
}
