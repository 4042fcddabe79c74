package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclTokenTest {
  private static final String ACL =
      """
      {"default_policy": "deny",
       "tokens": [
         {"SecretID": "router-s3cr3t", "Description": "router",
          "Rules": {"key_prefix": {"review-apps/": {"policy": "read"}}}},
         {"SecretID": "root-s3cr3t", "Management": true}]}
      """;

  @TempDir Path dir;

  // Under default_policy deny a watch without the token sees no route at all (Consul filters the
  // list, or refuses it), so a route served here proves the token was sent.
  @Test
  void watchSendsTheTokenFromTheEnvironmentAndNeverLogsIt() throws Exception {
    try (Consul consul = Consul.startWithAcl(dir.resolve("consul"), ACL, "root-s3cr3t");
        Backend web = Backend.start("web");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"),
                consul.port(),
                Map.of(),
                Map.of("CONSUL_HTTP_TOKEN", "router-s3cr3t"))) {
      String host = "deploy-acl." + NginxRouter.DOMAIN;
      consul.putRoute(host, web.address());
      await().atMost(Duration.ofSeconds(3)).until(() -> router.get(host).statusCode() == 200);
      assertThat(router.status().at("/watches/routes/errors").asInt()).isZero();
      assertThat(router.errorLog()).doesNotContain("s3cr3t");
    }
  }
}
