package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import dev.reviewapps.devstack.aws.faults.FaultRule;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ReviewApp reconciler against the real world of the stand-ins: devstack Consul, Nomad running
 * the example app's processes with raw_exec, devstack AWS with RDS instances on a real PostgreSQL,
 * and the shared PostgreSQL. Reconciles are driven directly, as a worker would run them.
 */
class ReviewAppReconcilerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static ReviewAppWorld world;

  @BeforeAll
  static void startWorld() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
  }

  @AfterAll
  static void stopWorld() throws Exception {
    world.close();
  }

  static ReviewAppReconciler reconciler(ReviewAppReconciler.StepObserver observer) {
    return reconciler(
        observer,
        ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
        new SimpleMeterRegistry(),
        Clock.systemUTC());
  }

  static ReviewAppReconciler reconciler(
      ReviewAppReconciler.StepObserver observer,
      ReviewAppJobs.Settings jobs,
      SimpleMeterRegistry registry,
      Clock clock) {
    return world.reconciler(
        jobs,
        Duration.ofMillis(200),
        clock,
        registry,
        ReviewAppReconciler.AbsentSpec.NOTHING,
        observer,
        ReviewAppReconciler.Policies.NONE);
  }

  private static void putSpec(String name, String json) {
    world.putSpec(name, json);
  }

  private static Optional<ReviewAppStatus> status(String name) {
    return world.status(name);
  }

  /** Reconciles as the engine would, each call returning at once, until the app is Ready. */
  private static void reconcileUntilReady(ReviewAppReconciler reconciler, String name) {
    reconcileUntil(reconciler, name, () -> true);
  }

  /** The same, until the app is Ready and {@code also} holds. */
  private static void reconcileUntil(
      ReviewAppReconciler reconciler, String name, BooleanSupplier also) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(150))
        .until(
            () -> {
              try {
                reconciler.reconcile(name);
              } catch (TerminalError e) {
                throw new AssertionError("terminal: " + e.getMessage(), e);
              } catch (RuntimeException e) {
                // Retried, as the engine would with backoff.
              }
              return status(name).map(s -> s.phase() == Phase.Ready).orElse(false)
                  && also.getAsBoolean();
            });
  }

  private static String route(String name) {
    return world
        .kv
        .get(world.layout.prefix() + "routes/" + name + ".review.test")
        .map(e -> e.text())
        .orElseThrow();
  }

  private static JsonNode api(String upstream) throws Exception {
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + upstream + "/api"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      StringBuilder allocations = new StringBuilder();
      for (var job : world.nomadClient.getJobsApi().list().getValue()) {
        for (var a : world.nomadClient.getJobsApi().allocations(job.getId()).getValue()) {
          var full = world.nomadClient.getAllocationsApi().info(a.getId()).getValue();
          allocations.append(
              String.format(
                  "%s %s v%s %s/%s healthy=%s %s%n",
                  job.getId(),
                  a.getTaskGroup(),
                  a.getJobVersion(),
                  a.getClientStatus(),
                  a.getDesiredStatus(),
                  a.getDeploymentStatus() == null ? null : a.getDeploymentStatus().getHealthy(),
                  dev.reviewapps.controller.reviewapp.nomad.SdkNomadJobsAccess.address(full)));
        }
      }
      throw new AssertionError("nothing listens at " + upstream + "\n" + allocations, e);
    }
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void aNewSpecBecomesReadyAndItsRouteAnswersFromTheWebProcessReadingDatabaseAndRedis()
      throws Exception {
    String name = "deploy-new-checkout";
    putSpec(name, Apps.shared(name, "3f2a9c1e"));
    reconcileUntilReady(reconciler(ReviewAppReconciler.StepObserver.NONE), name);

    ReviewAppStatus status = status(name).orElseThrow();
    assertThat(status.url()).contains("http://deploy-new-checkout.review.test");
    assertThat(status.conditions())
        .allSatisfy(c -> assertThat(c.status().name()).isEqualTo("True"));
    JsonNode first = api(route(name));
    assertThat(first.get("app").asText()).isEqualTo(name);
    assertThat(first.get("commit").asText()).isEqualTo("3f2a9c1e");
    assertThat(first.get("items")).hasSize(3);
    assertThat(first.get("seedRuns").asInt()).isEqualTo(1);
    // The Redis counter counts: the web process talks to the app's own Redis.
    assertThat(api(route(name)).get("counter").asLong())
        .isEqualTo(first.get("counter").asLong() + 1);
  }

  @Test
  void aNewCommitMigratesAgainDoesNotSeedAgainAndReplacesTheWebProcess() throws Exception {
    String name = "deploy-next-commit";
    ReviewAppReconciler reconciler = reconciler(ReviewAppReconciler.StepObserver.NONE);
    putSpec(name, Apps.shared(name, "aaaa1111"));
    reconcileUntilReady(reconciler, name);
    String before = route(name);
    assertThat(api(before).get("migrateRuns").asInt()).isEqualTo(1);

    putSpec(name, Apps.shared(name, "bbbb2222"));
    reconcileUntil(reconciler, name, () -> !route(name).equals(before));
    JsonNode after = api(route(name));
    assertThat(after.get("commit").asText()).isEqualTo("bbbb2222");
    assertThat(after.get("migrateRuns").asInt()).isEqualTo(2);
    assertThat(after.get("seedRuns").asInt()).isEqualTo(1);
  }

  /**
   * A deploy replaces the web allocation; with the web group's shutdown delay the old one serves
   * until the route points at the new one, so a client that follows the route sees no error.
   */
  @Test
  void aDeployAnswersEveryRequestWhileTheWebProcessIsReplaced() throws Exception {
    String name = "deploy-no-downtime";
    ReviewAppJobs.Settings d = ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults());
    ReviewAppReconciler reconciler =
        reconciler(
            ReviewAppReconciler.StepObserver.NONE,
            new ReviewAppJobs.Settings(
                d.datacenters(),
                d.driver(),
                d.redis(),
                d.release(),
                Duration.ofMillis(500),
                d.healthTimeout(),
                Duration.ofSeconds(20),
                d.webHealthyDeadline()),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    putSpec(name, Apps.shared(name, "abab1111"));
    reconcileUntilReady(reconciler, name);
    String before = route(name);

    AtomicBoolean polling = new AtomicBoolean(true);
    List<String> errors = new CopyOnWriteArrayList<>();
    Set<String> commits = ConcurrentHashMap.newKeySet();
    AtomicInteger answered = new AtomicInteger();
    Thread client =
        new Thread(
            () -> {
              while (polling.get()) {
                String upstream = route(name);
                try {
                  // As the router does: each request goes where the route says now.
                  commits.add(api(upstream).get("commit").asText());
                  answered.incrementAndGet();
                } catch (Throwable e) {
                  errors.add(upstream + ": " + e.getMessage());
                }
              }
            },
            "polling-client");
    client.start();
    try {
      putSpec(name, Apps.shared(name, "abab2222"));
      reconcileUntil(reconciler, name, () -> !route(name).equals(before));
      await().atMost(Duration.ofSeconds(10)).until(() -> commits.contains("abab2222"));
    } finally {
      polling.set(false);
      client.join(10_000);
    }
    assertThat(errors).isEmpty();
    assertThat(commits).containsExactlyInAnyOrder("abab1111", "abab2222");
    assertThat(answered.get()).isGreaterThan(10);
  }

  @Test
  void theOldestNotReadyGaugeCountsFromWhenAnAppLeftReadyUntilItsSpecIsGone() throws Exception {
    String name = "deploy-never-ready";
    TestClock clock = new TestClock(Instant.parse("2026-11-26T08:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReviewAppReconciler reconciler =
        reconciler(
            ReviewAppReconciler.StepObserver.NONE,
            ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
            registry,
            clock);
    putSpec(name, Apps.shared(name, "acac1111").replace("\"count\":1", "\"count\":-1"));
    assertThatThrownBy(() -> reconciler.reconcile(name)).isInstanceOf(TerminalError.class);
    clock.advance(Duration.ofMinutes(40));

    assertThat(registry.get("review_apps_oldest_not_ready_seconds").gauge().value())
        .isEqualTo(2400.0);

    world.kv.delete(world.layout.spec(name));
    reconciler.reconcile(name);
    assertThat(registry.get("review_apps_oldest_not_ready_seconds").gauge().value()).isZero();
  }

  @Test
  void instanceModeWaitsThroughCreatingWithoutBlockingAndAbsorbsThrottling() throws Exception {
    String name = "deploy-own-instance";
    world.aws.faults().set(FaultRule.throttle("rds:CreateDBInstance").times(2));
    world.aws.faults().set(FaultRule.throttle("rds:DescribeDBInstances").times(2));
    ReviewAppReconciler reconciler = reconciler(ReviewAppReconciler.StepObserver.NONE);
    putSpec(name, Apps.instance(name, "cccc3333"));

    long started = System.nanoTime();
    Result first = reconciler.reconcile(name);
    // It asked to be looked at again instead of waiting for the instance.
    assertThat(first).isInstanceOf(Result.RequeueAfter.class);
    // Bounded by the SDK's retries of the injected throttling, not by the instance's creation.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    ReviewAppStatus creating = status(name).orElseThrow();
    assertThat(creating.phase()).isEqualTo(Phase.Provisioning);
    assertThat(creating.condition(ConditionType.DatabaseReady).orElseThrow().reason())
        .isEqualTo("Creating");

    reconcileUntilReady(reconciler, name);
    assertThat(
            world.rds.describeDBInstances(r -> r.dbInstanceIdentifier("ra-" + name)).dbInstances())
        .hasSize(1)
        .allSatisfy(i -> assertThat(i.dbInstanceStatus()).isEqualTo("available"));
    JsonNode page = api(route(name));
    assertThat(page.get("items")).hasSize(3);
  }

  @Test
  void snapshotModeRestoresADedicatedInstanceThatCarriesTheSnapshotsData() throws Exception {
    // A seeded source instance and its snapshot, as an operator prepares them once.
    String source = "shop-seed";
    world.rds.createDBInstance(
        r ->
            r.dbInstanceIdentifier(source)
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("seeder")
                .masterUserPassword("seed-pass-1234"));
    await().atMost(Duration.ofSeconds(60)).until(() -> rdsStatus(source).equals("available"));
    var endpoint =
        world.rds.describeDBInstances(r -> r.dbInstanceIdentifier(source)).dbInstances().get(0);
    String url =
        "jdbc:postgresql://"
            + endpoint.endpoint().address()
            + ":"
            + endpoint.endpoint().port()
            + "/"
            + endpoint.dbName();
    try (Connection db = java.sql.DriverManager.getConnection(url, "seeder", "seed-pass-1234");
        Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL UNIQUE)");
      sql.execute("INSERT INTO items (name) VALUES ('From the snapshot')");
    }
    world.rds.createDBSnapshot(
        r -> r.dbInstanceIdentifier(source).dbSnapshotIdentifier("shop-seed-snap"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                world
                    .rds
                    .describeDBSnapshots(r -> r.dbSnapshotIdentifier("shop-seed-snap"))
                    .dbSnapshots()
                    .get(0)
                    .status()
                    .equals("available"));

    String name = "deploy-from-snapshot";
    ReviewAppReconciler reconciler = reconciler(ReviewAppReconciler.StepObserver.NONE);
    putSpec(
        name,
        Apps.spec(
            name,
            "dddd4444",
            "{\"mode\":\"snapshot\",\"snapshotIdentifier\":\"shop-seed-snap\"}",
            true));
    assertThat(reconciler.reconcile(name)).isInstanceOf(Result.RequeueAfter.class);
    reconcileUntilReady(reconciler, name);

    assertThat(rdsStatus("ra-" + name)).isEqualTo("available");
    // The snapshot's row survived the restore; the app's migrations and seed added theirs.
    JsonNode items = api(route(name)).get("items");
    assertThat(items).extracting(i -> i.get("name").asText()).contains("From the snapshot");
    assertThat(items).hasSize(4);
  }

  private static String rdsStatus(String identifier) {
    return world
        .rds
        .describeDBInstances(r -> r.dbInstanceIdentifier(identifier))
        .dbInstances()
        .get(0)
        .dbInstanceStatus();
  }

  @Test
  void anInvalidSpecIsTerminalAndListsEveryProblem() throws Exception {
    String name = "deploy-broken";
    putSpec(
        name,
        Apps.shared(name, "dddd4444")
            .replace("\"count\":1,\"cpu\":50", "\"count\":99,\"cpu\":1")
            .replace("\"commit\":\"dddd4444\"", "\"commit\":\"not a commit\""));
    assertThatThrownBy(() -> reconciler(ReviewAppReconciler.StepObserver.NONE).reconcile(name))
        .isInstanceOf(TerminalError.class);
    ReviewAppStatus status = status(name).orElseThrow();
    assertThat(status.phase()).isEqualTo(Phase.Failed);
    String message = status.condition(ConditionType.Valid).orElseThrow().message();
    assertThat(message).contains("$.spec.commit").contains("count").contains("cpu");
    assertThat(world.kv.get(world.layout.inventory(name))).isEmpty();
  }

  @Test
  void anInvalidUpdateKeepsTheRunningAppOnItsLastGoodSpecAndSaysSo() throws Exception {
    String name = "deploy-keeps-running";
    String other = "deploy-bystander";
    ReviewAppReconciler reconciler = reconciler(ReviewAppReconciler.StepObserver.NONE);
    putSpec(name, Apps.shared(name, "eeee5555"));
    putSpec(other, Apps.shared(other, "ffff6666"));
    reconcileUntilReady(reconciler, name);
    reconcileUntilReady(reconciler, other);
    String otherStatusBefore = world.kv.get(world.layout.status(other)).orElseThrow().text();

    putSpec(name, Apps.shared(name, "eeee7777").replace("\"count\":1", "\"count\":-1"));
    // No error at all: the last good spec goes on being reconciled, and rechecked.
    assertThat(reconciler.reconcile(name)).isInstanceOf(Result.RequeueAfter.class);

    ReviewAppStatus status = status(name).orElseThrow();
    assertThat(status.phase()).isEqualTo(Phase.Ready);
    assertThat(status.condition(ConditionType.Valid).orElseThrow().message())
        .contains("still running commit eeee5555")
        .contains("count");
    assertThat(api(route(name)).get("commit").asText()).isEqualTo("eeee5555");
    assertThat(world.kv.get(world.layout.status(other)).orElseThrow().text())
        .isEqualTo(otherStatusBefore);
  }

  @Test
  void aReconcileInterruptedAfterAnyStepLeavesExactlyOneOfEverythingWhenRunAgain()
      throws Exception {
    List<ConditionType> steps =
        List.of(
            ConditionType.DatabaseReady,
            ConditionType.CapacityReady,
            ConditionType.RedisReady,
            ConditionType.Migrated,
            ConditionType.Seeded,
            ConditionType.WebReady,
            ConditionType.WorkerReady,
            ConditionType.Routed);
    List<String> names = new ArrayList<>();
    for (ConditionType crashAfter : steps) {
      String name = "deploy-crash-" + crashAfter.name().toLowerCase();
      names.add(name);
      putSpec(name, Apps.shared(name, "abcd1234"));
      ReviewAppReconciler crashing =
          reconciler(
              (app, step) -> {
                if (step == crashAfter) {
                  throw new IllegalStateException("simulated crash after " + step);
                }
              });
      // Run until the crash happens at that step (earlier runs may stop to wait for Nomad).
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(150))
          .until(
              () -> {
                try {
                  crashing.reconcile(name);
                  return false;
                } catch (IllegalStateException e) {
                  return e.getMessage().startsWith("simulated crash");
                }
              });
    }
    // A freshly started controller picks every app up.
    ReviewAppReconciler fresh = reconciler(ReviewAppReconciler.StepObserver.NONE);
    for (String name : names) {
      reconcileUntilReady(fresh, name);
    }
    for (String name : names) {
      String db = "ra_" + name.replace('-', '_');
      try (Connection admin = world.postgres.admin("postgres");
          Statement s = admin.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '" + db + "%'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("databases of %s", name).isEqualTo(1);
      }
      long serviceJobs =
          world.nomadClient.getJobsApi().list(name).getValue().stream()
              .filter(j -> j.getType().equals("service"))
              .count();
      assertThat(serviceJobs).as("service jobs of %s", name).isEqualTo(1);
      long seedJobs =
          world.nomadClient.getJobsApi().list(name).getValue().stream()
              .filter(j -> j.getId().startsWith(name + ".seed."))
              .count();
      assertThat(seedJobs).as("seed jobs of %s", name).isEqualTo(1);
      assertThat(world.kv.keys(world.layout.prefix() + "routes/" + name + "."))
          .as("routes of %s", name)
          .hasSize(1);
      JsonNode page = api(route(name));
      assertThat(page.get("seedRuns").asInt()).as("seed runs of %s", name).isEqualTo(1);
      assertThat(page.get("migrateRuns").asInt()).as("migrate runs of %s", name).isEqualTo(1);
    }
  }

  @Test
  void theDatabasePasswordAppearsInNoStatusInventoryOrRoute() throws Exception {
    String name = "deploy-secret-keeper";
    putSpec(name, Apps.shared(name, "1234abcd"));
    reconcileUntilReady(reconciler(ReviewAppReconciler.StepObserver.NONE), name);
    String password =
        JSON.readTree(world.kv.get(world.layout.prefix() + "secrets/" + name).orElseThrow().value())
            .get("password")
            .asText();
    assertThat(password).hasSize(32);
    assertThat(world.kv.get(world.layout.status(name)).orElseThrow().text())
        .doesNotContain(password);
    assertThat(world.kv.get(world.layout.inventory(name)).orElseThrow().text())
        .doesNotContain(password);
    assertThat(route(name)).doesNotContain(password);
    assertThat(ReviewAppJson.parse(Apps.shared(name, "1234abcd")))
        .isInstanceOf(ParseResult.Parsed.class);
  }
}
