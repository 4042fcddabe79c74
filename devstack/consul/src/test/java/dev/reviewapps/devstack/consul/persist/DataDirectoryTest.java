package dev.reviewapps.devstack.consul.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data directory, KV, sessions and indexes survive a restart of the stand-in. */
class DataDirectoryTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long index(HttpResponse<?> response) {
    return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
  }

  @Test
  void keysIndexesTombstonesAndSessionsSurviveARestart(@TempDir Path dir) throws Exception {
    ConsulConfig config = ConsulConfig.defaults().withDataDir(dir);
    String entries;
    long prefixIndex;
    long missingIndex;
    String session;
    try (ConsulStandIn consul = ConsulStandIn.start(config)) {
      String kv = consul.baseUrl() + "/v1/kv/";
      send("PUT", kv + "apps/a?flags=3", "one");
      send("PUT", kv + "apps/b", "two");
      send("DELETE", kv + "apps/b", null);
      session = send("PUT", consul.baseUrl() + "/v1/session/create", "{\"Name\":\"kept\"}").body();
      entries = send("GET", kv + "apps/?recurse", null).body();
      prefixIndex = index(send("GET", kv + "apps/?recurse", null));
      missingIndex = index(send("GET", kv + "nothing", null));
    }
    assertThat(Files.size(dir.resolve("snapshot.json"))).isPositive();

    try (ConsulStandIn consul = ConsulStandIn.start(config)) {
      String kv = consul.baseUrl() + "/v1/kv/";
      HttpResponse<String> restored = send("GET", kv + "apps/?recurse", null);
      assertThat(restored.body()).isEqualTo(entries);
      assertThat(index(restored)).isEqualTo(prefixIndex);
      assertThat(index(send("GET", kv + "nothing", null))).isEqualTo(missingIndex);
      String id = session.replaceAll(".*\"ID\":\"([^\"]+)\".*", "$1");
      assertThat(send("GET", consul.baseUrl() + "/v1/session/info/" + id, null).body())
          .contains("\"Name\":\"kept\"");

      send("PUT", kv + "apps/c", "three");
      assertThat(index(send("GET", kv + "apps/c", null))).isGreaterThan(missingIndex);
    }
  }
}
