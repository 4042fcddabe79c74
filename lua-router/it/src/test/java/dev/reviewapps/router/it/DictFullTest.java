package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route table larger than the shared dict: counted, logged, and no deleted route served. */
class DictFullTest {
  private static final Pattern FULL =
      Pattern.compile("^router_dict_full_total\\{watch=\"routes\"} (\\d+)", Pattern.MULTILINE);

  @TempDir Path dir;

  private static long dictFull(NginxRouter router) throws Exception {
    Matcher m = FULL.matcher(router.metrics());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void aFullDictIsCountedAndADeletedRouteIsNeverServed() throws Exception {
    // 32k is nginx's smallest zone: a few hundred routes at most.
    try (Consul consul = Consul.start(dir.resolve("consul"));
        Backend web = Backend.start("web");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"),
                consul.port(),
                Map.of(),
                Map.of("ROUTER_ROUTES_DICT", "32k"))) {
      String first = "deploy-full-0." + NginxRouter.DOMAIN;
      consul.putRoute(first, web.address());
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(first).statusCode() == 200);

      for (int i = 1; i < 800; i++) {
        consul.putRoute("deploy-full-" + i + "." + NginxRouter.DOMAIN, web.address());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> dictFull(router) > 0);
      assertThat(router.errorLog()).contains("shared dict full");

      consul.delete(Consul.ROUTES + first);
      await().atMost(Duration.ofSeconds(10)).until(() -> router.get(first).statusCode() == 404);
    }
  }
}
