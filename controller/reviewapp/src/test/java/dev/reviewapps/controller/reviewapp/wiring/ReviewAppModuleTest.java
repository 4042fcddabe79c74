package dev.reviewapps.controller.reviewapp.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.reviewapps.controller.config.ConfigLoader;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.config.InvalidConfig;
import dev.reviewapps.controller.engine.ChangeSource;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.resilience.OutsideSystems;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardServer;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.status.FailedStatus;
import dev.reviewapps.controller.wiring.ControllerInjector;
import dev.reviewapps.controller.wiring.ProcessService;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ReviewApp module as the controller process loads it: the {@code reviewapp} section through
 * {@link ConfigLoader} (found by ServiceLoader) and the reconciler through {@link
 * ControllerInjector}. No outside system is contacted: the clients connect on first use.
 */
class ReviewAppModuleTest {

  private static final String PASSWORD = "pg-Adm1n-S3cret-xyz";

  /** The keys scripts/lib/stack.sh writes (stack_reviewapp_config), with its placeholders. */
  private static final String STACK_CONFIG =
      """
      {
        "consul": { "address": "http://127.0.0.1:1" },
        "prefix": "review-apps-test/",
        "http": { "bind": "127.0.0.1", "port": 0 },
        "reviewapp": {
          "hostTemplate": "{name}.review.localhost",
          "urlScheme": "http",
          "nomad": { "address": "http://127.0.0.1:2", "datacenter": "dc1", "driver": "raw_exec" },
          "aws": { "endpoint": "http://127.0.0.1:3", "region": "us-east-1" },
          "capacity": { "provider": "static" },
          "database": {
            "shared": { "jdbcUrl": "jdbc:postgresql://127.0.0.1:4/postgres",
                        "username": "postgres", "endpoint": "127.0.0.1:4" }
          },
          "assets": { "bucket": "review-app-assets", "prefix": "assets/" },
          "gc": { "repository": "", "interval": "10s", "grace": "0s" }
        }
      }
      """;

  @TempDir Path dir;

  private Path file(String json) throws IOException {
    Path file = dir.resolve("controller.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void theInjectorBindsTheReviewAppReconcilerForTheStackConfig() throws Exception {
    ControllerConfig config = ConfigLoader.load(Optional.of(file(STACK_CONFIG)), Map.of());
    Injector injector = ControllerInjector.create(config);

    assertThat(injector.getInstance(Reconciler.class)).isInstanceOf(ReviewAppReconciler.class);
    ReviewAppConfig reviewApp = injector.getInstance(ReviewAppConfig.class);
    assertThat(reviewApp.reviewApps().hosts().template()).isEqualTo("{name}.review.localhost");
    assertThat(reviewApp.jobs().driver()).isEqualTo(TaskDriver.RawExec.withDefaults());
    assertThat(reviewApp.jobs().datacenters()).containsExactly("dc1");
    assertThat(reviewApp.capacity().provider()).isEqualTo(ReviewAppConfig.Capacity.Provider.STATIC);
    assertThat(reviewApp.databases().sharedEndpoint()).isEqualTo("127.0.0.1:4");
    assertThat(reviewApp.gc().interval()).isEqualTo(Duration.ofSeconds(10));
    // What the domain registers with the generic engine.
    assertThat(injector.getInstance(TerminalErrors.class)).isInstanceOf(FailedStatus.class);
    assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<ChangeSource>>() {})))
        .extracting(ChangeSource::describe)
        .containsExactlyInAnyOrder(
            config.layout().prefix() + "wake/",
            config.layout().prefix() + "sleep/",
            "nomad allocations");
    injector.getInstance(OutsideSystems.class);
    MeterRegistry registry = injector.getInstance(MeterRegistry.class);
    for (String system : List.of("consul", "postgres", "rds", "autoscaling", "nomad", "s3")) {
      assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", system).gauges())
          .as("the breaker of %s exists before any call", system)
          .isNotEmpty();
    }
  }

  @Test
  void environmentOverridesTheFileAndRawExecTemplatesAreRead() throws Exception {
    String json =
        STACK_CONFIG.replace(
            "\"driver\": \"raw_exec\" }",
            "\"driver\": \"raw_exec\", \"rawExec\": { \"web\": \"exec app-{command}\" } }");
    ControllerConfig config =
        ConfigLoader.load(
            Optional.of(file(json)),
            Map.of(
                "REVIEW_APPS_POSTGRES_PASSWORD", PASSWORD,
                "NOMAD_ADDR", "http://nomad.internal:4646",
                "REVIEW_APPS_CAPACITY_PROVIDER", "asg",
                "REVIEW_APPS_ASG_NAME", "nomad-clients"));
    ReviewAppConfig reviewApp = config.sections().get(ReviewAppConfig.class).orElseThrow();

    assertThat(reviewApp.sharedPostgres().password().value()).isEqualTo(PASSWORD);
    assertThat(reviewApp.nomad().address().toString()).isEqualTo("http://nomad.internal:4646");
    assertThat(reviewApp.capacity().autoScalingGroup()).contains("nomad-clients");
    assertThat(((TaskDriver.RawExec) reviewApp.jobs().driver()).templates())
        .containsEntry(TaskRole.WEB, "exec app-{command}")
        .containsEntry(TaskRole.WORKER, "exec {command}");
  }

  private ReviewAppConfig section(String json) throws Exception {
    return ConfigLoader.load(Optional.of(file(json)), Map.of())
        .sections()
        .get(ReviewAppConfig.class)
        .orElseThrow();
  }

  /** The problems the configuration loader names for {@code json}, which it must refuse. */
  private List<String> problems(String json) throws IOException {
    Path config = file(json);
    InvalidConfig refused =
        catchThrowableOfType(
            () -> ConfigLoader.load(Optional.of(config), Map.of()), InvalidConfig.class);
    assertThat(refused).as("refused: " + json).isNotNull();
    return refused.problems();
  }

  @Test
  void teardownSettingsAreReadWithTheirDefaultsAndABadFinalSnapshotValueIsNamed() throws Exception {
    ReviewAppConfig defaults = section(STACK_CONFIG);
    assertThat(defaults.teardown().finalSnapshot()).isFalse();
    assertThat(defaults.teardown().predestroyAttempts()).isEqualTo(3);
    assertThat(defaults.teardown().predestroyTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.teardown().holdRecheck()).isEqualTo(Duration.ofSeconds(30));

    String set =
        STACK_CONFIG.replace(
            "\"gc\": {",
            "\"teardown\": { \"finalSnapshot\": \"true\", \"predestroyAttempts\": 5,"
                + " \"predestroyTimeout\": \"90s\" }, \"gc\": {");
    ReviewAppConfig read = section(set);
    assertThat(read.teardown().finalSnapshot()).isTrue();
    assertThat(read.teardown().predestroyAttempts()).isEqualTo(5);
    assertThat(read.teardown().predestroyTimeout()).isEqualTo(Duration.ofSeconds(90));

    String bad = set.replace("\"finalSnapshot\": \"true\"", "\"finalSnapshot\": \"maybe\"");
    assertThat(problems(bad))
        .contains("reviewapp.teardown.finalSnapshot: must be true or false, got 'maybe'");
  }

  @Test
  void theAllocationWatchIsOnByDefaultAndANonsenseValueIsNamed() throws Exception {
    assertThat(section(STACK_CONFIG).nomad().watchAllocations()).isTrue();
    String off =
        STACK_CONFIG.replace(
            "\"driver\": \"raw_exec\"", "\"driver\": \"raw_exec\", \"watchAllocations\": false");
    assertThat(section(off).nomad().watchAllocations()).isFalse();

    String bad = off.replace("\"watchAllocations\": false", "\"watchAllocations\": \"sometimes\"");
    assertThat(problems(bad))
        .contains("reviewapp.nomad.watchAllocations: must be true or false, got 'sometimes'");
  }

  @Test
  void pricesAndTheBudgetAreReadAndNonsenseIsNamed() throws Exception {
    ReviewAppConfig defaults = section(STACK_CONFIG);
    assertThat(defaults.lifecycle().maxDollarsPerHour()).isZero();
    assertThat(
            defaults
                .reviewApps()
                .costs()
                .database(
                    new dev.reviewapps.model.spec.Database.Instance(
                        "db.t3.micro", 20, Optional.empty())))
        .isCloseTo(0.018 + 20 * 0.115 / 730, org.assertj.core.data.Offset.offset(1e-12));

    String set =
        STACK_CONFIG.replace(
            "\"gc\": {",
            "\"cost\": { \"rdsPerHour\": \"db.t3.micro=0.5\", \"instancePerHour\": \"1\" },"
                + " \"quota\": { \"maxDollarsPerHour\": \"2.5\" }, \"gc\": {");
    ReviewAppConfig read = section(set);
    assertThat(read.lifecycle().maxDollarsPerHour()).isEqualTo(2.5);
    assertThat(
            read.reviewApps()
                .costs()
                .database(
                    new dev.reviewapps.model.spec.Database.Instance(
                        "db.t3.micro", 20, Optional.empty())))
        .isCloseTo(0.5 + 20 * 0.115 / 730, org.assertj.core.data.Offset.offset(1e-12));

    String bad =
        set.replace("db.t3.micro=0.5", "db.t3.micro=0.5,t3micro")
            .replace("\"instancePerHour\": \"1\"", "\"instancePerHour\": \"-1\"")
            .replace("\"2.5\"", "\"lots\"");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file(bad)), Map.of()))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("reviewapp.cost.rdsPerHour")
                                .contains("class=dollars pairs")
                                .contains("'t3micro'"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("reviewapp.cost.instancePerHour")
                                .contains("must be a number >= 0"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "reviewapp.quota.maxDollarsPerHour"
                                        + " (REVIEW_APPS_QUOTA_MAX_DOLLARS_PER_HOUR)")
                                .contains("must be a number >= 0")));
  }

  @Test
  void badSettingsAreReportedWithFieldAndVariableAndNeverThePassword() throws Exception {
    String json =
        STACK_CONFIG
            .replace("\"hostTemplate\": \"{name}.review.localhost\",", "")
            .replace("\"driver\": \"raw_exec\"", "\"driver\": \"podman\"")
            .replace("\"provider\": \"static\"", "\"provider\": \"asg\"")
            .replace("\"endpoint\": \"127.0.0.1:4\"", "\"endpoint\": \"db\"")
            .replace("\"interval\": \"10s\"", "\"interval\": \"soon\", \"colour\": \"red\"");

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file(json)),
                    Map.of("REVIEW_APPS_POSTGRES_PASSWORD", PASSWORD, "NOMAD_ADDR", "nomad")))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e -> {
              List<String> problems = e.problems();
              assertThat(problems)
                  .contains(
                      "reviewapp.gc.colour: unknown setting",
                      "reviewapp.hostTemplate (REVIEW_APPS_HOST_TEMPLATE): required",
                      "reviewapp.nomad.driver (REVIEW_APPS_NOMAD_DRIVER): must be docker or"
                          + " raw_exec, got 'podman'",
                      "reviewapp.capacity.asgName (REVIEW_APPS_ASG_NAME): required when"
                          + " capacity.provider is asg",
                      "reviewapp.database.shared.endpoint (REVIEW_APPS_POSTGRES_ENDPOINT): must be"
                          + " host:port, got 'db'");
              assertThat(problems)
                  .anyMatch(p -> p.startsWith("reviewapp.nomad.address (NOMAD_ADDR): cannot use"))
                  .anyMatch(p -> p.startsWith("reviewapp.gc.interval: 'soon' is"));
              assertThat(e.getMessage()).doesNotContain(PASSWORD);
              assertThat(String.join("\n", problems)).doesNotContain(PASSWORD);
            });
  }

  @Test
  void nomadNamespaceInstanceAndTlsAreReadAndHostileValuesNamed() throws Exception {
    ControllerConfig config =
        ConfigLoader.load(
            Optional.of(file(STACK_CONFIG)),
            Map.of(
                "REVIEW_APPS_POSTGRES_PASSWORD", PASSWORD,
                "NOMAD_NAMESPACE", "review-apps",
                "REVIEW_APPS_INSTANCE", "staging",
                "NOMAD_TLS_SERVER_NAME", "server.global.nomad",
                "NOMAD_SKIP_VERIFY", "true"));
    ReviewAppConfig.Nomad nomad =
        config.sections().get(ReviewAppConfig.class).orElseThrow().nomad();
    assertThat(nomad.namespace()).contains("review-apps");
    assertThat(nomad.instance()).isEqualTo("staging");
    assertThat(nomad.tls().serverName()).contains("server.global.nomad");
    assertThat(nomad.tls().verify()).isFalse();

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file(STACK_CONFIG)),
                    Map.of(
                        "REVIEW_APPS_POSTGRES_PASSWORD", PASSWORD,
                        "NOMAD_NAMESPACE", "review-apps&namespace=default",
                        "REVIEW_APPS_INSTANCE", "Staging Prod",
                        "NOMAD_CACERT", "/nonexistent/ca.pem",
                        "NOMAD_SKIP_VERIFY", "yes")))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(
                        p -> p.startsWith("reviewapp.nomad.namespace (NOMAD_NAMESPACE): must"))
                    .anyMatch(p -> p.startsWith("reviewapp.instance (REVIEW_APPS_INSTANCE): must"))
                    .anyMatch(
                        p ->
                            p.equals(
                                "reviewapp.nomad.tls.caCert (NOMAD_CACERT): cannot read the"
                                    + " certificate file /nonexistent/ca.pem"))
                    .anyMatch(
                        p ->
                            p.equals(
                                "reviewapp.nomad.tls.skipVerify (NOMAD_SKIP_VERIFY): must be true"
                                    + " or false, got 'yes'")));
  }

  @Test
  void thePasswordAndTheNomadTokenAppearInNoToString() throws Exception {
    ControllerConfig config =
        ConfigLoader.load(
            Optional.of(file(STACK_CONFIG)),
            Map.of("REVIEW_APPS_POSTGRES_PASSWORD", PASSWORD, "NOMAD_TOKEN", "nomad-T0ken-abc"));
    ReviewAppConfig reviewApp = config.sections().get(ReviewAppConfig.class).orElseThrow();

    assertThat(reviewApp.sharedPostgres().password().value()).isEqualTo(PASSWORD);
    assertThat(reviewApp.toString())
        .doesNotContain(PASSWORD)
        .doesNotContain("nomad-T0ken-abc")
        .contains("password=(secret)");
    assertThat(reviewApp.sharedPostgres().toString()).doesNotContain(PASSWORD);
    assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain("nomad-T0ken-abc");
  }

  @Test
  void garbageCollectionGuardQuotaAndOrphanSettingsHaveSafeDefaultsAndBindTheLeaderTasks()
      throws Exception {
    ControllerConfig config = ConfigLoader.load(Optional.of(file(STACK_CONFIG)), Map.of());
    Injector injector = ControllerInjector.create(config);

    ReviewAppConfig.Lifecycle lifecycle = injector.getInstance(ReviewAppConfig.class).lifecycle();
    assertThat(lifecycle.guardLimits()).isEqualTo(GuardLimits.DEFAULTS);
    assertThat(lifecycle.orphansDryRun()).as("the sweep only lists unless told").isTrue();
    assertThat(lifecycle.quotaMax()).isZero();
    assertThat(lifecycle.defaultTtl()).isEmpty();
    Set<LeaderTask> tasks = injector.getInstance(Key.get(new TypeLiteral<Set<LeaderTask>>() {}));
    assertThat(tasks)
        .extracting(LeaderTask::name)
        .containsExactlyInAnyOrder("gc", "deletion-guard", "orphans", "capacity");
    assertThat(injector.getInstance(DeletionGuard.class))
        .as("one guard, the teardown gate too")
        .isSameAs(injector.getInstance(DeletionGuard.class));
  }

  @Test
  void theGitHubSourceNeedsOwnerSlashNameAndItsTokenIsNeverShown() throws Exception {
    String json =
        STACK_CONFIG.replace(
            "\"gc\": { \"repository\": \"\"",
            "\"ttl\": { \"default\": \"72h\" }, \"quota\": { \"max\": 20 },"
                + " \"guard\": { \"maxShare\": \"0.3\" },"
                + " \"gc\": { \"source\": \"github\", \"repository\": \"shop/web\"");
    ControllerConfig config =
        ConfigLoader.load(
            Optional.of(file(json)), Map.of("REVIEW_APPS_GITHUB_TOKEN", "ghp_S3cretT0ken"));
    ReviewAppConfig reviewApp = config.sections().get(ReviewAppConfig.class).orElseThrow();
    assertThat(reviewApp.lifecycle().defaultTtl()).contains(Duration.ofHours(72));
    assertThat(reviewApp.lifecycle().quotaMax()).isEqualTo(20);
    assertThat(reviewApp.lifecycle().guardLimits().maxShare()).isEqualTo(0.3);
    assertThat(ReviewAppModule.branchSource(reviewApp).orElseThrow().describe())
        .isEqualTo("github:shop/web");
    assertThat(reviewApp.toString()).doesNotContain("ghp_S3cretT0ken");

    String bad =
        json.replace("\"shop/web\"", "\"https://ghp_x@github.com/shop/web.git\"")
            .replace("\"0.3\"", "\"half\"")
            .replace("\"source\": \"github\"", "\"source\": \"github\", \"colour\": 1");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file(bad)), Map.of()))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e -> {
              assertThat(e.problems())
                  .contains(
                      "reviewapp.gc.colour: unknown setting",
                      "reviewapp.gc.repository (REVIEW_APPS_GC_REPOSITORY): must be owner/name"
                          + " when gc.source is github")
                  .anyMatch(
                      p ->
                          p.startsWith("reviewapp.guard.maxShare: cannot use 'half'")
                              && p.endsWith("must be a share from 0 to 1, e.g. 0.5"));
              assertThat(String.join("\n", e.problems())).doesNotContain("ghp_x");
            });
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file(STACK_CONFIG)),
                    Map.of("REVIEW_APPS_GC_SOURCE", "svn", "REVIEW_APPS_ORPHANS_DRY_RUN", "yes")))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "reviewapp.gc.source (REVIEW_APPS_GC_SOURCE): must be git or github, got"
                            + " 'svn'",
                        "reviewapp.orphans.dryRun (REVIEW_APPS_ORPHANS_DRY_RUN): must be true or"
                            + " false, got 'yes'"));
  }

  @Test
  void theDashboardIsOpenOnlyOnLoopbackAndItsTokenIsNeverShown() throws Exception {
    ReviewAppConfig defaults =
        ConfigLoader.load(Optional.of(file(STACK_CONFIG)), Map.of())
            .sections()
            .get(ReviewAppConfig.class)
            .orElseThrow();
    assertThat(defaults.dashboard().enabled()).isTrue();
    assertThat(defaults.dashboard().bind()).isEqualTo("127.0.0.1");
    assertThat(defaults.dashboard().port()).isEqualTo(8090);
    assertThat(defaults.dashboard().token()).isEmpty();

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file(STACK_CONFIG)),
                    Map.of("REVIEW_APPS_DASHBOARD_BIND", "0.0.0.0")))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(
                        p ->
                            p.startsWith(
                                    "reviewapp.dashboard.token (REVIEW_APPS_DASHBOARD_TOKEN):"
                                        + " required when reviewapp.dashboard.bind")
                                && p.contains("'0.0.0.0'")));
    for (String loopback : List.of("127.0.0.1", "127.1.2.3", "::1", "localhost")) {
      assertThat(
              ConfigLoader.load(
                      Optional.of(file(STACK_CONFIG)),
                      Map.of("REVIEW_APPS_DASHBOARD_BIND", loopback))
                  .sections()
                  .get(ReviewAppConfig.class)
                  .orElseThrow()
                  .dashboard()
                  .bind())
          .isEqualTo(loopback);
    }
    ReviewAppConfig exposed =
        ConfigLoader.load(
                Optional.of(file(STACK_CONFIG)),
                Map.of(
                    "REVIEW_APPS_DASHBOARD_BIND",
                    "0.0.0.0",
                    "REVIEW_APPS_DASHBOARD_TOKEN",
                    "dash-S3cret"))
            .sections()
            .get(ReviewAppConfig.class)
            .orElseThrow();
    assertThat(exposed.dashboard().token()).contains("dash-S3cret");
    assertThat(exposed.dashboard().appPage("deploy-x")).isEmpty();
    assertThat(
            ConfigLoader.load(
                    Optional.of(file(STACK_CONFIG)),
                    Map.of("REVIEW_APPS_DASHBOARD_PUBLIC_URL", "https://apps.example.com/dash/"))
                .sections()
                .get(ReviewAppConfig.class)
                .orElseThrow()
                .dashboard()
                .appPage("deploy-x"))
        .contains("https://apps.example.com/dash/apps/deploy-x");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file(STACK_CONFIG)),
                    Map.of("REVIEW_APPS_DASHBOARD_PUBLIC_URL", "javascript:alert(1)")))
        .isInstanceOfSatisfying(
            InvalidConfig.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(
                        p ->
                            p.startsWith(
                                "reviewapp.dashboard.publicUrl (REVIEW_APPS_DASHBOARD_PUBLIC_URL)")));
    assertThat(exposed.toString()).doesNotContain("dash-S3cret");
    assertThat(
            ControllerInjector.create(ConfigLoader.load(Optional.of(file(STACK_CONFIG)), Map.of()))
                .getInstance(Key.get(new TypeLiteral<Set<ProcessService>>() {})))
        .hasAtLeastOneElementOfType(DashboardServer.class);
  }
}
