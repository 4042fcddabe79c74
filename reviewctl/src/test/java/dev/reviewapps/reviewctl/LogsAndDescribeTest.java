package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.Resources;
import com.hashicorp.nomad.apimodel.RestartPolicy;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.devstack.nomad.NomadConfig;
import dev.reviewapps.devstack.nomad.NomadStandIn;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** logs and describe against a Nomad stand-in really running the tasks. */
class LogsAndDescribeTest {
  private static final String APP = "deploy-logs";
  private static final String FIRST_RELEASE = "0123456789";
  @RegisterExtension static final ConsulWorld world = new ConsulWorld();
  private static NomadStandIn nomad;
  private static NomadApiClient client;
  private static String firstMigrateAlloc;

  @BeforeAll
  static void start() throws Exception {
    nomad = NomadStandIn.start(NomadConfig.defaults());
    client =
        new NomadApiClient(new NomadApiConfiguration.Builder().setAddress(nomad.baseUrl()).build());
    // The jobs as the controller names them, with tasks that only print and exit.
    run(
        ResourceNames.of(APP).serviceJob(),
        group("web", "echo hello from web; echo web oops >&2"),
        group("redis", "echo redis ready"));
    run(ResourceNames.of(APP).seedJob(FIRST_RELEASE), group("seed", "echo seeded 3 rows"));
    firstMigrateAlloc =
        run(ResourceNames.of(APP).migrateJob(FIRST_RELEASE), group("migrate", "echo migration 1"))
            .get(0)
            .getId();
    run(ResourceNames.of(APP).migrateJob("abcdefabcd"), group("migrate", "echo migration 2"));
  }

  @AfterAll
  static void stop() throws IOException {
    client.close();
    nomad.close();
  }

  private static TaskGroup group(String role, String script) {
    Task task =
        new Task()
            .setName(role)
            .setDriver("raw_exec")
            .setConfig(Map.of("command", "/bin/sh", "args", List.of("-c", script)))
            .setResources(new Resources().setCpu(50).setMemoryMb(32));
    return new TaskGroup()
        .setName(role)
        .setCount(1)
        .setTasks(new ArrayList<>(List.of(task)))
        .setRestartPolicy(new RestartPolicy().setAttempts(0).setMode("fail"));
  }

  /** Registers a batch job and waits until every allocation has completed. */
  private static List<AllocationListStub> run(String id, TaskGroup... groups) throws Exception {
    client
        .getJobsApi()
        .register(
            new Job()
                .setId(id)
                .setName(id)
                .setType("batch")
                .setDatacenters(List.of("dc1"))
                .setTaskGroups(new ArrayList<>(List.of(groups))));
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> client.getJobsApi().allocations(id).getValue(),
            allocs ->
                allocs.size() == groups.length
                    && allocs.stream().allMatch(a -> "complete".equals(a.getClientStatus())));
  }

  private Cli cli() {
    return world.cli().with("NOMAD_ADDR", nomad.baseUrl()).with("NOMAD_TOKEN", "nomad-secret-789");
  }

  @Test
  void logsPrintTheTaskOutputOfTheNewestAllocation() {
    Cli.Run web = cli().run("logs", APP, "web");
    assertThat(web.err()).isEmpty();
    assertThat(web.exitCode()).isZero();
    assertThat(web.out()).isEqualTo("hello from web\n");

    assertThat(cli().run("logs", APP, "web", "--stderr").out()).isEqualTo("web oops\n");
    assertThat(cli().run("logs", APP, "seed").out()).isEqualTo("seeded 3 rows\n");
    // Two releases migrated: the newest by default, an older one by its allocation.
    assertThat(cli().run("logs", APP, "migrate").out()).isEqualTo("migration 2\n");
    assertThat(
            cli().run("logs", APP, "migrate", "--alloc", firstMigrateAlloc.substring(0, 8)).out())
        .isEqualTo("migration 1\n");
  }

  @Test
  void logsOfATaskNomadDoesNotRunAreOneLine() {
    Cli.Run worker = cli().run("logs", APP, "worker");
    assertThat(worker.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(worker.err())
        .isEqualTo(
            "reviewctl: logs deploy-logs worker: Nomad has no worker allocation for deploy-logs\n");

    Cli.Run shell = cli().run("logs", APP, "shell");
    assertThat(shell.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(shell.err()).hasLineCount(1).contains("web, worker, migrate, seed");
  }

  @Test
  void anUnreachableNomadIsOneLineNamingTheAddress() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    Cli.Run run = cli().run("logs", APP, "web", "--nomad", "127.0.0.1:" + closedPort);

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err())
        .isEqualTo(
            "reviewctl: logs deploy-logs web: Nomad at 127.0.0.1:"
                + closedPort
                + " unreachable (HttpHostConnectException)\n");
  }

  @Test
  void describeShowsSpecConditionsInventoryExpiryAndNomadEvents() {
    world.cli().input(Specs.spec(APP, "abcdef12")).run("apply", "-f", "-");
    Instant created = Instant.parse("2026-11-26T07:00:00Z");
    world.writeStatus(
        APP,
        ReviewAppStatus.pending(world.specIndex(APP))
            .withPhase(Phase.Deploying)
            .withUrl(Optional.of("http://deploy-logs.review.test"))
            .withExpiresAt(Optional.of(Instant.parse("2026-11-29T07:00:00Z")))
            .withLastError(Optional.of("web: health check failing"))
            .withCondition(ConditionType.Valid, ConditionStatus.True, "Valid", "", created)
            .withCondition(
                ConditionType.DatabaseReady,
                ConditionStatus.True,
                "Created",
                "",
                created.plusSeconds(3))
            .withCondition(
                ConditionType.WebReady,
                ConditionStatus.False,
                "Unhealthy",
                "0 of 1 healthy",
                created.plusSeconds(9))
            .withTimings(
                java.util.Map.of(
                    ConditionType.DatabaseReady,
                    java.time.Duration.ofMillis(1250),
                    ConditionType.RedisReady,
                    java.time.Duration.ofMillis(4000)))
            .withRolloutOf("0123456789", "abcdef12", created));
    world.kv.put(
        world.layout.inventory(APP),
        InventoryJson.write(
            Inventory.empty(APP)
                .with(new Resource.NomadJob(ResourceNames.of(APP).serviceJob()))
                .with(new Resource.NomadJob(ResourceNames.of(APP).seedJob(FIRST_RELEASE)))
                .withDatabase("127.0.0.1:5432", "ra_deploy_logs")
                .withSeeded()));

    Cli.Run run = cli().run("describe", APP);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Phase:       Deploying")
        .contains("URL:         http://deploy-logs.review.test")
        .contains("  Commit:    abcdef12")
        .contains("  Web:       1 x bin/web (500 MHz, 512 MB, health check /health)")
        .contains("Observed:    spec index " + world.specIndex(APP))
        .contains("Last error:  web: health check failing")
        .contains("Expires:     2026-11-29T07:00:00Z")
        .containsPattern("WebReady +False +Unhealthy +2026-11-26T07:00:09Z .* +0 of 1 healthy")
        .contains("Timings (last rollout):")
        .containsPattern("DatabaseReady +1\\.3s")
        .containsPattern("RedisReady +4\\.0s")
        .containsPattern("Rollouts:\n +COMMIT .*\n +abcdef12 +2026-11-26T07:00:00Z +InProgress +-")
        .containsPattern("nomad-job +deploy-logs\\.seed\\." + FIRST_RELEASE)
        .contains("database ra_deploy_logs at 127.0.0.1:5432")
        .contains("seeded yes")
        .containsPattern("2026-11-26T07:00:03Z +condition +DatabaseReady=True Created")
        .containsPattern("nomad deploy-logs/web +Terminated")
        .containsPattern("nomad deploy-logs\\.seed\\." + FIRST_RELEASE + "/seed +Started")
        .doesNotContain("nomad-secret-789");
    // Events in time order: the conditions of 07:00 come before the tasks that ran just now.
    assertThat(run.out().indexOf("DatabaseReady=True"))
        .isLessThan(run.out().indexOf("nomad deploy-logs/web"));
  }

  @Test
  void describeStillShowsConsulsPartWhenNomadIsUnreachable() throws IOException {
    world.cli().input(Specs.spec("deploy-nonomad", "abcdef34")).run("apply", "-f", "-");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    Cli.Run run =
        world.cli().run("describe", "deploy-nonomad", "--nomad", "http://127.0.0.1:" + closedPort);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Status:      none yet").contains("Inventory:   none");
    assertThat(run.err())
        .hasLineCount(1)
        .startsWith(
            "reviewctl: warning: describe deploy-nonomad: no Nomad events (Nomad at http://127.0.0.1:"
                + closedPort);
  }
}
