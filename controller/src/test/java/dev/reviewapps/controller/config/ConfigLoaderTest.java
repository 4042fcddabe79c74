package dev.reviewapps.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.tls.ThrowawayCa;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Optional<Path> file(String json) throws IOException {
    Path f = dir.resolve("controller.json");
    Files.writeString(f, json);
    return Optional.of(f);
  }

  @Test
  void withoutFileOrEnvironmentEveryDefaultApplies() throws Exception {
    ControllerConfig c = ConfigLoader.load(Optional.empty(), Map.of());

    assertThat(c.consul().address()).isEqualTo(URI.create("http://127.0.0.1:8500"));
    assertThat(c.consul().token()).isEmpty();
    assertThat(c.layout().specs()).isEqualTo("review-apps/specs/");
    assertThat(c.engine().workers()).isEqualTo(4);
    assertThat(c.engine().resync()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.engine().backoffBase()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.engine().backoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.leader().ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.leader().key()).isEqualTo("review-apps/leader");
    assertThat(c.leader().identity()).endsWith("-" + ProcessHandle.current().pid());
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void theFileSetsValuesAndTheEnvironmentWins() throws Exception {
    ControllerConfig c =
        ConfigLoader.load(
            file(
                """
                {"consul": {"address": "http://consul.internal:8500"},
                 "prefix": "staging-apps",
                 "controller": {"workers": 8, "resync": "1h30m", "backoff": {"base": "500ms", "max": "2m"}},
                 "http": {"port": 9191},
                 "log": {"format": "json"}}
                """),
            Map.of(
                "CONSUL_HTTP_ADDR", "10.0.0.5:8500",
                "CONSUL_HTTP_TOKEN", "s3cr3t",
                "REVIEW_APPS_WORKERS", "2"));

    assertThat(c.consul().address()).isEqualTo(URI.create("http://10.0.0.5:8500"));
    assertThat(c.consul().token()).contains("s3cr3t");
    assertThat(c.consul().toString()).doesNotContain("s3cr3t");
    assertThat(c.layout().statuses()).isEqualTo("staging-apps/status/");
    assertThat(c.engine().workers()).isEqualTo(2);
    assertThat(c.engine().resync()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.engine().backoffBase()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.http().port()).isEqualTo(9191);
    assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void theTokenCanComeFromAFileSoThatNoProcessListingShowsIt() throws Exception {
    Path token = Files.writeString(dir.resolve("consul-token"), "fr0m-a-f1le\n");

    ControllerConfig fromFile =
        ConfigLoader.load(Optional.empty(), Map.of("CONSUL_HTTP_TOKEN_FILE", token.toString()));
    ControllerConfig variableWins =
        ConfigLoader.load(
            Optional.empty(),
            Map.of("CONSUL_HTTP_TOKEN_FILE", token.toString(), "CONSUL_HTTP_TOKEN", "direct"));

    assertThat(fromFile.consul().token()).contains("fr0m-a-f1le");
    assertThat(variableWins.consul().token()).contains("direct");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("CONSUL_HTTP_TOKEN_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(InvalidConfig.class)
        .hasMessageContaining("CONSUL_HTTP_TOKEN_FILE");
    // Only secrets come from files: an address file variable means nothing.
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("CONSUL_HTTP_ADDR_FILE", token.toString()))
                .consul()
                .address())
        .isEqualTo(URI.create("http://127.0.0.1:8500"));
  }

  @Test
  void everyProblemIsReportedAtOnceByFieldAndVariable() throws IOException {
    Optional<Path> f =
        file(
            """
            {"controller": {"workers": 0, "resync": "soon", "backoff": {"base": "10s", "max": "1s"}},
             "leader": {"lockDelay": "2m"},
             "colour": "blue"}
            """);

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("REVIEW_APPS_HTTP_PORT", "http")))
        .isInstanceOf(InvalidConfig.class)
        .satisfies(
            e ->
                assertThat(((InvalidConfig) e).problems())
                    .containsExactlyInAnyOrder(
                        "colour: unknown setting",
                        "controller.workers (REVIEW_APPS_WORKERS): must be a whole number from 1 to 256, got '0'",
                        "controller.resync (REVIEW_APPS_RESYNC): 'soon' is not a duration such as 500ms, 15s, 10m or 1h30m",
                        "controller.backoff.max (REVIEW_APPS_BACKOFF_MAX): must not be shorter than controller.backoff.base",
                        "leader.lockDelay (REVIEW_APPS_LOCK_DELAY): must be from 0s to 1m, got '2m'",
                        "http.port (REVIEW_APPS_HTTP_PORT): must be a whole number from 0 to 65535, got 'http'"));
  }

  @Test
  void aBrokenFileIsNamed() throws IOException {
    Optional<Path> f = file("{\"prefix\": ");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(InvalidConfig.class)
        .hasMessageContaining("controller.json: not valid JSON");
  }

  @Test
  void aConsulAddressThatIsNoHttpUrlIsRefusedWithTheFieldNamedAndNoTokenShown() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("CONSUL_HTTP_ADDR", "ftp://consul:8501", "CONSUL_HTTP_TOKEN", "s3cr3t")))
        .isInstanceOf(InvalidConfig.class)
        .hasMessageContaining("consul.address (CONSUL_HTTP_ADDR)")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void consulTlsComesFromTheConsulCliVariables() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(dir, "config");
    ThrowawayCa.Issued client = ca.issue("controller", "controller.internal");
    ControllerConfig c =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(
                "CONSUL_HTTP_ADDR",
                "consul.internal:8501",
                "CONSUL_HTTP_SSL",
                "true",
                "CONSUL_CACERT",
                ca.certificate().toString(),
                "CONSUL_CLIENT_CERT",
                client.certificate().toString(),
                "CONSUL_CLIENT_KEY",
                client.key().toString(),
                "CONSUL_TLS_SERVER_NAME",
                "server.dc1.consul"));
    assertThat(c.consul().address()).hasToString("https://consul.internal:8501");
    assertThat(c.consul().https()).isTrue();
    assertThat(c.consul().tls().caCert()).contains(ca.certificate());
    assertThat(c.consul().tls().clientKey()).contains(client.key());
    assertThat(c.consul().tls().serverName()).contains("server.dc1.consul");
    assertThat(c.consul().tls().verify()).isTrue();

    ControllerConfig skip =
        ConfigLoader.load(
            file("{\"consul\": {\"address\": \"https://c:8501\", \"tls\": {\"verify\": false}}}"),
            Map.of());
    assertThat(skip.consul().tls().verify()).isFalse();
  }

  @Test
  void unusableTlsFilesAreProblemsNamingTheSetting() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(dir, "config");
    ThrowawayCa.Issued client = ca.issue("controller", "controller.internal");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "CONSUL_HTTP_ADDR",
                        "https://c:8501",
                        "CONSUL_CACERT",
                        dir.resolve("missing.pem").toString(),
                        "CONSUL_CLIENT_CERT",
                        client.certificate().toString(),
                        "CONSUL_HTTP_SSL_VERIFY",
                        "maybe")))
        .isInstanceOf(InvalidConfig.class)
        .hasMessageContaining(
            "consul.tls.caCert (CONSUL_CACERT): cannot read the certificate file "
                + dir.resolve("missing.pem"))
        .hasMessageContaining(
            "consul.tls.clientKey (CONSUL_CLIENT_KEY): must be set with consul.tls.clientCert"
                + " (CONSUL_CLIENT_CERT)")
        .hasMessageContaining(
            "consul.tls.verify (CONSUL_HTTP_SSL_VERIFY): must be true or false, got 'maybe'");
    ThrowawayCa.Issued other = ca.issue("other", "other.internal");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "CONSUL_CLIENT_CERT", client.certificate().toString(),
                        "CONSUL_CLIENT_KEY", other.key().toString())))
        .hasMessageContaining("consul.tls.clientCert (CONSUL_CLIENT_CERT): ")
        .hasMessageContaining("is not the private key of the certificate");
  }

  /** A section another module would register through ServiceLoader: one number. */
  private record Extra(int size) {}

  private static final ConfigSection<Extra> EXTRA =
      new ConfigSection<>() {
        @Override
        public Class<Extra> type() {
          return Extra.class;
        }

        @Override
        public java.util.List<ConfigLoader.Setting> settings() {
          return java.util.List.of(
              new ConfigLoader.Setting("extra.size", Optional.of("EXTRA_SIZE"), "3", "a size"));
        }

        @Override
        public Extra parse(ConfigValues values) {
          return new Extra(values.integer("extra.size", 1, 10));
        }
      };

  @Test
  void aSectionsKeysAreKnownResolvedAndCheckedLikeTheEnginesOwn() throws Exception {
    ControllerConfig c =
        ConfigLoader.load(file("{\"extra\": {\"size\": 5}}"), Map.of(), java.util.List.of(EXTRA));
    assertThat(c.sections().get(Extra.class)).contains(new Extra(5));
    assertThat(c.toString()).contains("ConfigSections[Extra]").doesNotContain("size=5");

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file(
                        "{\"extra\": {\"size\": 5, \"other\": 1}, \"controller\": {\"workers\": 0}}"),
                    Map.of("EXTRA_SIZE", "11"),
                    java.util.List.of(EXTRA)))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "extra.other: unknown setting",
                        "controller.workers (REVIEW_APPS_WORKERS): must be a whole number from 1"
                            + " to 256, got '0'",
                        "extra.size (EXTRA_SIZE): must be a whole number from 1 to 10, got '11'"));
  }
}
