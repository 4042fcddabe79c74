package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch answer that removes every route at once (an ACL change makes the prefix read empty) is
 * held: the old table serves and the snapshot stays. The hold ends when it expires or when the
 * controller's marker confirms the drop.
 */
class RouteGuardTest {
  @TempDir Path dir;

  private static void routes(Consul consul, Backend web, String prefix, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      consul.putRoute(prefix + i + "." + NginxRouter.DOMAIN, web.address());
    }
  }

  @Test
  void aMassRemovalIsHeldUntilItsHoldExpires() throws Exception {
    try (Consul consul = Consul.start(dir.resolve("consul"));
        Backend web = Backend.start("web");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"),
                consul.port(),
                Map.of("guard_hold_seconds", 3, "watch_wait_seconds", 1))) {
      routes(consul, web, "deploy-held-", 5);
      String host = "deploy-held-0." + NginxRouter.DOMAIN;
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
      Path snapshot = router.dir().resolve("state/routes.json");
      await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(snapshot).contains(host));
      String saved = Files.readString(snapshot);

      consul.delete(Consul.ROUTES + "?recurse");

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> router.metrics().contains("router_guard_held_removals 5"));
      assertThat(router.get(host).statusCode()).as("the old table serves").isEqualTo(200);
      assertThat(Files.readString(snapshot)).as("the snapshot stays").isEqualTo(saved);
      assertThat(router.errorLog()).contains("route table guard: holding");
      // A real drop of every app still goes through once the hold expires.
      await().atMost(Duration.ofSeconds(10)).until(() -> router.get(host).statusCode() == 404);
      assertThat(router.metrics()).contains("router_guard_held_removals 0");
    }
  }

  @Test
  void theControllersMarkerConfirmsADropAtOnce() throws Exception {
    try (Consul consul = Consul.start(dir.resolve("consul"));
        Backend web = Backend.start("web");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"), consul.port(), Map.of("guard_hold_seconds", 600))) {
      routes(consul, web, "deploy-confirmed-", 5);
      String host = "deploy-confirmed-0." + NginxRouter.DOMAIN;
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);

      consul.put(Consul.ROUTES + ".expected", "0");
      consul.delete(Consul.ROUTES + "?recurse");
      consul.put(Consul.ROUTES + ".expected", "0");

      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 404);
      assertThat(router.metrics()).contains("router_guard_held_removals 0");
    }
  }
}
