package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.routes.ConsulRouteTable;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TrueJob;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.status.Rollout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What users read in status, as the whole engine writes it: the spec watch queues the name, a
 * worker runs the reconciler, and terminal errors go through the engine's failed-status path. The
 * reconciler is never called directly here.
 */
class StatusThroughTheEngineTest {

  private static ReviewAppWorld world;
  private static Engine engine;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    engine = world.startEngine(registry, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    // Also stops the engine it started.
    world.close();
  }

  private static void putSpec(String name, String json) {
    world.putSpec(name, json);
  }

  private static Optional<ReviewAppStatus> status(String name) {
    return world.status(name);
  }

  private static long specIndex(String name) {
    return world.kv.get(world.layout.spec(name)).orElseThrow().modifyIndex();
  }

  /** Writes the spec and waits until status says the app is Ready with it; its index. */
  private static long applyAndAwaitReady(String name, String json) {
    putSpec(name, json);
    long index = specIndex(name);
    await().atMost(Duration.ofSeconds(120)).until(() -> readyAt(name, index));
    return index;
  }

  /** Whether status says the spec at {@code index} was rejected ({@code Valid} False). */
  private static boolean rejectedAt(String name, long index) {
    return status(name)
        .filter(s -> s.observedIndex() == index)
        .flatMap(s -> s.condition(ConditionType.Valid))
        .map(c -> c.status() == ConditionStatus.False)
        .orElse(false);
  }

  private static boolean readyAt(String name, long index) {
    return status(name)
        .map(s -> s.phase() == Phase.Ready && s.observedIndex() == index)
        .orElse(false);
  }

  @Test
  void anInvalidUpdateOfARunningAppKeepsItsPhaseAndAValidSpecClearsTheComplaint() {
    String name = "deploy-engine-keeps";
    long first = applyAndAwaitReady(name, Apps.shared(name, "aaaa1111"));
    // Where the seconds went: every step of the rollout, from its first run to ready.
    Map<ConditionType, Duration> timings = status(name).orElseThrow().timings();
    assertThat(timings)
        .containsKeys(
            ConditionType.DatabaseReady,
            ConditionType.RedisReady,
            ConditionType.Migrated,
            ConditionType.Seeded,
            ConditionType.WebReady,
            ConditionType.WorkerReady,
            ConditionType.Routed);
    assertThat(timings.get(ConditionType.WebReady)).isPositive();
    assertThat(
            registry
                .get("review_apps_step_duration_seconds")
                .tag("step", "WebReady")
                .timer()
                .count())
        .isPositive();

    putSpec(name, Apps.shared(name, "aaaa2222").replace("\"count\":1", "\"count\":-1"));
    long invalid = specIndex(name);
    await().atMost(Duration.ofSeconds(30)).until(() -> rejectedAt(name, invalid));
    // The engine has had its say (the worker is done with the name) and keeps its hands off.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> status(name).map(s -> s.phase() == Phase.Ready).orElse(false));
    ReviewAppStatus held = status(name).orElseThrow();
    assertThat(held.condition(ConditionType.Valid).orElseThrow().message())
        .contains("still running commit aaaa1111")
        .contains("count");

    applyAndAwaitReady(name, Apps.shared(name, "aaaa3333"));
    ReviewAppStatus after = status(name).orElseThrow();
    assertThat(after.condition(ConditionType.Valid).orElseThrow().status())
        .isEqualTo(ConditionStatus.True);
    assertThat(after.lastError()).isEmpty();
    // Two rollouts, newest first: the invalid update was none.
    assertThat(after.rollouts())
        .extracting(Rollout::commit, Rollout::outcome)
        .containsExactly(
            tuple("aaaa3333", Rollout.Outcome.Ready), tuple("aaaa1111", Rollout.Outcome.Ready));
    assertThat(after.rollouts().get(1).timings()).isEqualTo(timings);
    assertThat(after.rollouts().get(0).finishedAt()).isPresent();
  }

  @Test
  void anInvalidNewAppIsFailedWithEveryViolation() {
    String name = "deploy-engine-invalid";
    putSpec(
        name,
        Apps.shared(name, "bbbb1111")
            .replace("\"count\":1,\"cpu\":50", "\"count\":99,\"cpu\":1")
            .replace("\"commit\":\"bbbb1111\"", "\"commit\":\"not a commit\""));
    long index = specIndex(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                status(name)
                    .map(s -> s.phase() == Phase.Failed && s.observedIndex() == index)
                    .orElse(false));
    String message =
        status(name).orElseThrow().condition(ConditionType.Valid).orElseThrow().message();
    assertThat(message).contains("$.spec.commit").contains("count").contains("cpu");
    assertThat(world.kv.get(world.layout.inventory(name))).isEmpty();
  }

  @Test
  void aFailedSeedRunsAgainWhenTheSpecBringsANewRelease() {
    String name = "deploy-engine-seed";
    String good = Apps.shared(name, "cccc1111");
    String seed = "\"seed\":\"" + ReviewAppWorld.exampleApp().resolve("bin").resolve("seed") + "\"";
    assertThat(good).contains(seed);
    putSpec(name, good.replace(seed, "\"seed\":\"/bin/false\""));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                status(name)
                    .flatMap(s -> s.condition(ConditionType.Seeded))
                    .map(c -> c.reason().equals("SeedFailed"))
                    .orElse(false));
    assertThat(status(name).orElseThrow().phase()).isEqualTo(Phase.Failed);
    assertThat(status(name).orElseThrow().condition(ConditionType.Seeded).orElseThrow().message())
        .contains("push a new commit");

    applyAndAwaitReady(name, Apps.shared(name, "cccc2222"));
    assertThat(status(name).orElseThrow().condition(ConditionType.Seeded).orElseThrow().reason())
        .isEqualTo("Seeded");
    assertThat(status(name).orElseThrow().rollouts())
        .extracting(Rollout::commit, Rollout::outcome)
        .containsExactly(
            tuple("cccc2222", Rollout.Outcome.Ready), tuple("cccc1111", Rollout.Outcome.Failed));
    assertThat(status(name).orElseThrow().rollouts().get(1).message()).contains("SeedFailed");
  }

  @Test
  void specKeysThatAreNoAppNameAreNeverReconciledNorWrittenUnder() {
    List<String> odd =
        List.of("deploy-odd?x", "deploy-odd#y", "deploy-odd%2Fz", "Deploy Odd", "deploy--odd");
    for (String name : odd) {
      world.kv.put(world.layout.specs() + name, Apps.shared("deploy-odd", "dddd1111").getBytes());
    }
    // A later, valid name is reconciled: by then the odd ones have been seen (and ignored).
    String marker = "deploy-engine-marker";
    putSpec(marker, "{}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(marker).map(s -> s.phase() == Phase.Failed).orElse(false));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.get("controller_spec_keys_ignored").counter().count() >= odd.size());
    for (String prefix : List.of("status/", "inventory/", "secrets/", "routes/", "phases/")) {
      assertThat(world.kv.keys(world.layout.prefix() + prefix))
          .as(prefix)
          .noneMatch(k -> k.contains("deploy-odd") || k.contains("Deploy"));
    }
    assertThat(world.kv.keys(world.layout.prefix()))
        .noneMatch(k -> k.contains("deploy-odd") && !k.startsWith(world.layout.specs()));
  }

  @Test
  void aTemplateOrSnapshotOutsideTheAllowListsIsInvalidAndNothingIsCloned() throws Exception {
    String fromPostgres = "deploy-engine-clone-postgres";
    String fromSnapshot = "deploy-engine-foreign-snapshot";
    putSpec(
        fromPostgres,
        Apps.spec(
            fromPostgres, "eeee1111", "{\"mode\":\"shared\",\"template\":\"postgres\"}", false));
    putSpec(
        fromSnapshot,
        Apps.spec(
            fromSnapshot,
            "eeee2222",
            "{\"mode\":\"snapshot\",\"snapshotIdentifier\":"
                + "\"arn:aws:rds:us-east-1:123456789012:snapshot:prod\"}",
            false));
    for (String name : List.of(fromPostgres, fromSnapshot)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(name).map(s -> s.phase() == Phase.Failed).orElse(false));
      assertThat(status(name).orElseThrow().condition(ConditionType.Valid).orElseThrow().message())
          .as(name)
          .contains("allowed: ");
      assertThat(world.kv.get(world.layout.inventory(name))).as(name).isEmpty();
    }
    assertThat(
            world
                .providers()
                .sharedDatabases()
                .exists(
                    dev.reviewapps.controller.reviewapp.postgres.SharedDatabase.forApp(
                        fromPostgres, Optional.empty())))
        .isFalse();
    assertThat(world.rds.describeDBInstances().dbInstances())
        .noneMatch(i -> i.dbInstanceIdentifier().contains("foreign-snapshot"));
  }

  @Test
  void anAppNamedLikeSomeoneElsesJobReportsAConflictAndNeverTouchesIt() throws Exception {
    // The controller's own job, and a job of another team, both without review-apps' mark.
    Map<String, Map<String, String>> foreign =
        Map.of(
            "review-apps-controller", Map.of(),
            "deploy-engine-foreign", Map.of("owner", "payments-team"));
    for (var job : foreign.entrySet()) {
      world.nomadClient.getJobsApi().register(TrueJob.of(job.getKey(), job.getValue(), "run"));
    }
    Map<String, BigInteger> versions = new HashMap<>();
    for (String id : foreign.keySet()) {
      versions.put(id, world.nomadClient.getJobsApi().info(id).getValue().getVersion());
      putSpec(id, Apps.shared(id, "ffff1111"));
    }
    for (String id : foreign.keySet()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> status(id).map(s -> s.phase() == Phase.Failed).orElse(false));
      String conflict =
          status(id).orElseThrow().conditions().stream()
              .filter(c -> c.reason().equals("Conflict"))
              .findFirst()
              .orElseThrow()
              .message();
      assertThat(conflict).contains("Nomad job " + id).contains("leaves it alone");
      Job after = world.nomadClient.getJobsApi().info(id).getValue();
      assertThat(after.getVersion()).as(id).isEqualTo(versions.get(id));
      assertThat(after.getMeta()).as(id).isEqualTo(foreign.get(id));
      assertThat(after.getStop()).as(id).isNotEqualTo(Boolean.TRUE);
    }
  }

  @Test
  void anAppWhoseDatabaseNameIsTakenBySomeoneElseReportsAConflictAndTouchesNothing()
      throws Exception {
    String name = "deploy-engine-pg-taken";
    try (var admin = world.postgres.admin("postgres");
        var s = admin.createStatement()) {
      s.execute("CREATE DATABASE ra_deploy_engine_pg_taken");
    }
    try (var theirs = world.postgres.admin("ra_deploy_engine_pg_taken");
        var s = theirs.createStatement()) {
      s.execute("CREATE TABLE payroll (amount int)");
      s.execute("INSERT INTO payroll VALUES (7)");
    }
    putSpec(name, Apps.shared(name, "abab1111"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(name).map(s -> s.phase() == Phase.Failed).orElse(false));
    assertThat(status(name).orElseThrow().condition(ConditionType.DatabaseReady).orElseThrow())
        .satisfies(c -> assertThat(c.reason()).isEqualTo("Conflict"))
        .satisfies(
            c -> assertThat(c.message()).contains("PostgreSQL database ra_deploy_engine_pg_taken"));
    try (var theirs = world.postgres.admin("ra_deploy_engine_pg_taken");
        var s = theirs.createStatement();
        var rs = s.executeQuery("SELECT amount FROM payroll")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void anAppWhoseRdsInstanceNameIsTakenBySomeoneElseReportsAConflictAndTouchesNothing() {
    String name = "deploy-engine-rds-taken";
    world.rds.createDBInstance(
        r ->
            r.dbInstanceIdentifier("ra-" + name)
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .engine("postgres")
                .masterUsername("theirs")
                .masterUserPassword("TheirPassword123"));
    putSpec(name, Apps.instance(name, "cdcd1111"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(name).map(s -> s.phase() == Phase.Failed).orElse(false));
    assertThat(status(name).orElseThrow().condition(ConditionType.DatabaseReady).orElseThrow())
        .satisfies(c -> assertThat(c.reason()).isEqualTo("Conflict"))
        .satisfies(c -> assertThat(c.message()).contains("RDS instance ra-" + name));
    var instance =
        world.rds.describeDBInstances(r -> r.dbInstanceIdentifier("ra-" + name)).dbInstances();
    assertThat(instance).hasSize(1);
    assertThat(instance.get(0).dbInstanceStatus()).isNotEqualTo("deleting");
    assertThat(instance.get(0).masterUsername()).isEqualTo("theirs");
  }

  @Test
  void jobsAreJudgedByTheActingAppsMarkSoEarlierJobNamesNeitherLeakNorCrossApps() throws Exception {
    // As a version before the '.' job names made them: deploy-legacy's seed job
    // "deploy-legacy-seed".
    for (String id : List.of("deploy-legacy-seed", "deploy-other-seed")) {
      world
          .nomadClient
          .getJobsApi()
          .register(
              TrueJob.of(
                  id,
                  Map.of("review-app", id.substring(0, id.length() - "-seed".length())),
                  "seed"));
    }
    var nomad = world.providers().nomad();

    // Its own app purges it at teardown (no leak after an upgrade)...
    nomad.purge("deploy-legacy", "deploy-legacy-seed");
    assertThat(nomad.registered("deploy-legacy", "deploy-legacy-seed")).isEmpty();
    // ...and an app named like it can neither see it as its own nor purge it.
    assertThatThrownBy(() -> nomad.purge("deploy-other-seed", "deploy-other-seed"))
        .isInstanceOf(OwnershipConflict.class);
    assertThatThrownBy(() -> nomad.registered("deploy-other-seed", "deploy-other-seed"))
        .isInstanceOf(OwnershipConflict.class);
    assertThat(world.nomadClient.getJobsApi().info("deploy-other-seed").getValue().getStop())
        .isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void aJobOfAnotherInstallationUnderTheAppsNameIsAConflictAndLeftAlone() throws Exception {
    String name = "deploy-engine-staging";
    world
        .nomadClient
        .getJobsApi()
        .register(
            TrueJob.of(name, Map.of("review-app", name, "review-apps-instance", "staging"), "run"));
    BigInteger version = world.nomadClient.getJobsApi().info(name).getValue().getVersion();
    // The orphan sweep does not see it either: it is no job of this installation.
    assertThat(world.providers().nomad().reviewAppJobs()).doesNotContainKey(name);

    putSpec(name, Apps.shared(name, "acac1111"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(name).map(s -> s.phase() == Phase.Failed).orElse(false));
    assertThat(status(name).orElseThrow().conditions())
        .anySatisfy(
            c -> {
              assertThat(c.reason()).isEqualTo("Conflict");
              assertThat(c.message()).contains("another review-apps installation");
            });
    Job theirs = world.nomadClient.getJobsApi().info(name).getValue();
    assertThat(theirs.getVersion()).isEqualTo(version);
    assertThat(theirs.getStop()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void aRouteWrittenByHandForTheAppsHostIsAConflictAndOursCarryTheMark() {
    String name = "deploy-engine-route-taken";
    String key = world.keys.routes() + name + ".review.test";
    world.kv.put(key, "10.6.6.6:80".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    putSpec(name, Apps.shared(name, "adad1111"));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> status(name).map(s -> s.phase() == Phase.Failed).orElse(false));
    assertThat(status(name).orElseThrow().conditions())
        .anySatisfy(
            c -> {
              assertThat(c.reason()).isEqualTo("Conflict");
              assertThat(c.message()).contains("Consul route " + name + ".review.test");
            });
    assertThat(world.kv.get(key).orElseThrow().text()).isEqualTo("10.6.6.6:80");
    assertThat(world.kv.get(key).orElseThrow().flags()).isZero();
    // Not the app's, so not the orphan sweep's either.
    assertThat(world.providers().routes().hosts()).doesNotContain(name + ".review.test");

    String mine = "deploy-engine-route-mine";
    applyAndAwaitReady(mine, Apps.shared(mine, "adad2222"));
    assertThat(world.kv.get(world.keys.routes() + mine + ".review.test").orElseThrow().flags())
        .isEqualTo(ConsulRouteTable.MARK);
    assertThat(world.providers().routes().hosts()).contains(mine + ".review.test");
    // The router's guard believes a mass removal whose size the controller confirmed: after each
    // route that came or went, routes/.expected holds how many there are.
    long routes =
        world.kv.keys(world.keys.routes()).stream()
            .filter(k -> !k.endsWith("/" + ConsulRouteTable.EXPECTED))
            .count();
    assertThat(world.kv.get(world.keys.routes() + ConsulRouteTable.EXPECTED).orElseThrow().text())
        .isEqualTo(Long.toString(routes));
  }

  @Test
  void anUpdateCannotSwapTheDatabaseOfARunningApp() {
    String name = "deploy-engine-db-fixed";
    applyAndAwaitReady(name, Apps.shared(name, "cece1111"));

    // An instance of its own would leave the shared database behind and start the app empty.
    putSpec(name, Apps.instance(name, "cece2222"));
    long swap = specIndex(name);
    await().atMost(Duration.ofSeconds(30)).until(() -> rejectedAt(name, swap));
    ReviewAppStatus refused = status(name).orElseThrow();
    assertThat(refused.phase()).isEqualTo(Phase.Ready);
    assertThat(refused.condition(ConditionType.Valid).orElseThrow().message())
        .contains("still running commit cece1111")
        .contains("$.spec.database")
        .contains("cannot change once the app's database exists")
        .contains("it is shared, the update asks for instance db.t3.micro, 20 GB");
    assertThat(world.rds.describeDBInstances().dbInstances())
        .noneMatch(i -> i.dbInstanceIdentifier().equals("ra-" + name));

    applyAndAwaitReady(name, Apps.shared(name, "cece3333"));
    assertThat(status(name).orElseThrow().condition(ConditionType.Valid).orElseThrow().status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void aWebCountOfZeroWithdrawsTheRouteAndStatusSaysSo() {
    String name = "deploy-engine-web-zero";
    String route = world.keys.routes() + name + ".review.test";
    String one = Apps.shared(name, "cdcd1111");
    applyAndAwaitReady(name, one);
    assertThat(world.kv.get(route)).isPresent();

    putSpec(
        name,
        one.replace(
            "\"count\":1,\"cpu\":50,\"memoryMB\":32,\"healthPath\"",
            "\"count\":0,\"cpu\":50,\"memoryMB\":32,\"healthPath\""));
    long none = specIndex(name);
    await().atMost(Duration.ofSeconds(120)).until(() -> readyAt(name, none));
    // Not a route to the stopped web allocations, and not "deploying" for ever.
    assertThat(world.kv.get(route)).isEmpty();
    assertThat(status(name).orElseThrow().condition(ConditionType.Routed).orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(ConditionStatus.False);
              assertThat(c.reason()).isEqualTo("NoWebProcess");
              assertThat(c.message()).contains("web count is 0");
            });
    assertThat(status(name).orElseThrow().condition(ConditionType.WebReady).orElseThrow().reason())
        .isEqualTo("ScaledToZero");

    applyAndAwaitReady(name, one);
    assertThat(world.kv.get(route)).isPresent();
    assertThat(status(name).orElseThrow().condition(ConditionType.Routed).orElseThrow().status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void anAppsRedisAnswersOnlyToItsPassword() throws Exception {
    String name = "deploy-engine-redis";
    applyAndAwaitReady(name, Apps.shared(name, "efef1111"));
    String address =
        world.providers().nomad().allocations(name, "redis").stream()
            .flatMap(a -> a.address().stream())
            .findFirst()
            .orElseThrow();
    String password = world.providers().credentials().read(name).orElseThrow().redisPassword();
    assertThat(redis(address, "PING")).startsWith("-NOAUTH");
    assertThat(redis(address, "AUTH not-" + password)).startsWith("-WRONGPASS");
    assertThat(redis(address, "AUTH " + password)).isEqualTo("+OK");
  }

  /** One inline command on a new connection, and the first line of Redis's answer. */
  private static String redis(String address, String command) throws Exception {
    return dev.reviewapps.controller.reviewapp.testing.RedisProbe.send(address, command).get(0);
  }
}
