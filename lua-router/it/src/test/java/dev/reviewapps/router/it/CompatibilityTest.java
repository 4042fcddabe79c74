package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibilityTest {
  @TempDir Path dir;

  @Test
  void compatSwitchRoutesFromHostKeysAtTheKvRootAsTheOriginalDesignWroteThem() throws Exception {
    try (Consul consul = Consul.start(dir.resolve("consul"));
        Backend web = Backend.start("web");
        Backend ignored = Backend.start("ignored");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"), consul.port(), Map.of("compat_root_keys", true))) {
      String host = "deploy-legacy." + NginxRouter.DOMAIN;
      String other = "deploy-new." + NginxRouter.DOMAIN;
      consul.put(host, web.address());
      // In compat mode the prefixed layout is not read, and keys that are not hosts are skipped.
      consul.putRoute(other, ignored.address());
      consul.put("unrelated-key", "10.0.0.1:80");

      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
      assertThat(router.get(host).body()).isEqualTo("web");
      assertThat(router.get(other).statusCode()).isEqualTo(404);
      assertThat(router.status().get("compat_root_keys").asBoolean()).isTrue();
      assertThat(router.status().get("routes").asInt()).isEqualTo(1);

      consul.delete(host);
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 404);
    }
  }
}
