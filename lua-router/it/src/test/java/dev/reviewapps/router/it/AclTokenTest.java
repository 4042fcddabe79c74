package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  /**
   * The router's shipped policy (deploy/acl/router.json) is all it needs: routes and phases are
   * served with it, and it can read nothing else, secrets above all.
   */
  @Test
  void theShippedRouterPolicyIsEnoughAndDeniesEverythingElse() throws Exception {
    String rules =
        Files.readString(NginxRouter.routerDir().resolve("../deploy/acl/router.json").normalize());
    String acl =
        "{\"default_policy\": \"deny\", \"tokens\": ["
            + "{\"SecretID\": \"router-policy\", \"Rules\": "
            + rules
            + "}, {\"SecretID\": \"root-s3cr3t\", \"Management\": true}]}";
    try (Consul consul = Consul.startWithAcl(dir.resolve("consul"), acl, "root-s3cr3t");
        Backend web = Backend.start("web");
        NginxRouter router =
            NginxRouter.start(
                dir.resolve("nginx"),
                consul.port(),
                Map.of("activity_report_seconds", 1),
                Map.of("CONSUL_HTTP_TOKEN", "router-policy"))) {
      String host = "deploy-policy." + NginxRouter.DOMAIN;
      consul.putRoute(host, web.address());
      consul.put(Consul.STATUS + "deploy-waiting", "Deploying");
      await().atMost(Duration.ofSeconds(3)).until(() -> router.get(host).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> router.get("deploy-waiting." + NginxRouter.DOMAIN).statusCode() == 503);
      assertThat(router.status().at("/watches/routes/errors").asInt()).isZero();
      // Sleep on idle: the policy lets the router report activity and ask for a wake.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> consul.value("review-apps/activity/deploy-policy").isPresent());
      consul.put(Consul.STATUS + "deploy-asleep", "Sleeping");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  router
                          .send(
                              "deploy-asleep." + NginxRouter.DOMAIN,
                              "/",
                              Map.of("Accept", "text/html"))
                          .statusCode()
                      == 503);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> consul.value("review-apps/wake/deploy-asleep").isPresent());
      assertThat(router.metrics()).contains("router_activity_report_errors_total 0");

      HttpClient http = HttpClient.newHttpClient();
      for (String key :
          List.of(
              "review-apps/secrets/deploy-policy",
              "review-apps/status/deploy-policy",
              "review-apps/specs/deploy-policy",
              "review-apps/inventory/deploy-policy")) {
        consul.put(key, "x");
        HttpResponse<String> read =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + consul.port() + "/v1/kv/" + key))
                    .header("X-Consul-Token", "router-policy")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("read " + key).isEqualTo(403);
      }
      HttpResponse<String> write =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + consul.port() + "/v1/kv/review-apps/routes/x"))
                  .header("X-Consul-Token", "router-policy")
                  .PUT(HttpRequest.BodyPublishers.ofString("10.0.0.1:80"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(write.statusCode()).as("write routes/").isEqualTo(403);
    }
  }
}
