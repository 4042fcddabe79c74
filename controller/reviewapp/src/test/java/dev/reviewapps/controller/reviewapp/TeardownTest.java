package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.devstack.aws.faults.FaultRule;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * Teardown against the real world of the stand-ins: apps are provisioned by the reconciler, their
 * spec keys deleted, and the reconciler (with the teardown as its absent-spec hook) driven as a
 * worker would drive it, until nothing of them is left in Consul, Nomad (no process), PostgreSQL,
 * devstack RDS and S3.
 */
class TeardownTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static ReviewAppWorld world;

  @TempDir static Path scratch;
  private static Path predestroyScript;
  private static Path predestroyRuns;

  @BeforeAll
  static void startWorld() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    predestroyRuns = Files.createDirectory(scratch.resolve("predestroy-runs"));
    predestroyScript = scratch.resolve("predestroy.sh");
    // One line per run: the database it reached (and its seeded rows) and its Redis, which proves
    // it ran while both still existed. "fail" as second argument makes it fail after recording.
    Files.writeString(
        predestroyScript,
        "#!/bin/sh\n"
            + "db=$(psql \"$DATABASE_URL\" -tAc 'SELECT current_database()') || exit 4\n"
            + "items=$(psql \"$DATABASE_URL\" -tAc 'SELECT count(*) FROM items' 2>/dev/null"
            + " || echo none)\n"
            + "echo \"$db items=$items redis=${REDIS_URL:-none}\" >> \"$1/$REVIEW_APP_NAME\"\n"
            + "[ \"$2\" = fail ] && exit 3\n"
            + "[ \"$2\" = hang ] && exec sleep 600\n"
            + "exit 0\n");
    Files.setPosixFilePermissions(predestroyScript, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stopWorld() throws Exception {
    world.close();
  }

  private static TearingDownController controller(
      TeardownSettings settings, TeardownGate gate, Teardown.StageObserver observer) {
    // A new object graph over the same stores, as a restarted controller builds it.
    return TearingDownController.build(
        world, world.providers(), settings, gate, observer, Duration.ofMillis(200));
  }

  private static TeardownSettings settings() {
    return TeardownSettings.defaults(Duration.ofMillis(200), Duration.ofMillis(200));
  }

  private static TearingDownController controller() {
    return controller(settings(), TeardownGate.OPEN, Teardown.StageObserver.NONE);
  }

  private static String withPredestroy(String spec, String arguments) {
    return spec.replace(
        "\"release\":{",
        "\"release\":{\"predestroy\":\"" + predestroyScript + " " + arguments + "\",");
  }

  private static void putSpec(String name, String json) {
    world.kv.put(world.layout.spec(name), json.getBytes(StandardCharsets.UTF_8));
  }

  private static void deleteSpec(String name) {
    world.kv.delete(world.layout.spec(name));
  }

  private static Optional<ReviewAppStatus> status(String name) {
    return world
        .kv
        .get(world.layout.status(name))
        .flatMap(e -> ReviewAppJson.parseStatus(e.value()).toOptional());
  }

  private static boolean statusSays(String name, Predicate<ReviewAppStatus> test) {
    return status(name).map(test::test).orElse(false);
  }

  /**
   * Runs reconciles of every app in turn (each returns at once, so they progress together) until
   * {@code done} holds for all; failures are retried, as the engine would with backoff.
   */
  private static void driveAll(
      ReviewAppReconciler reconciler, List<String> names, Predicate<String> done) {
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(150))
        .until(
            () -> {
              boolean all = true;
              for (String name : names) {
                if (done.test(name)) {
                  continue;
                }
                all = false;
                try {
                  reconciler.reconcile(name);
                } catch (Exception e) {
                  // Retried on the next round.
                }
              }
              return all;
            });
  }

  private static boolean ready(String name) {
    return statusSays(name, s -> s.phase() == Phase.Ready);
  }

  private static boolean databaseReady(String name) {
    return statusSays(name, s -> s.isTrue(ConditionType.DatabaseReady));
  }

  private static boolean gone(String name) {
    return world.kv.get(world.layout.inventory(name)).isEmpty()
        && world.kv.get(world.layout.status(name)).isEmpty();
  }

  private static void putAssets(String name, int count) {
    for (int i = 0; i < count; i++) {
      String key = ReviewAppWorld.ASSETS_PREFIX + name + "/js/" + i + ".js";
      world.s3.putObject(
          r -> r.bucket(ReviewAppWorld.ASSETS_BUCKET).key(key), RequestBody.fromString("x"));
    }
  }

  /** The process IDs of every allocation of the app's jobs, as the Nomad stand-in reports them. */
  private static Set<Long> pidsOf(String name) throws Exception {
    Map<String, Map<String, Long>> pids = world.nomad.taskPids();
    Set<Long> found = new HashSet<>();
    for (var job : world.nomadClient.getJobsApi().list(name).getValue()) {
      for (var a : world.nomadClient.getJobsApi().allocations(job.getId()).getValue()) {
        found.addAll(pids.getOrDefault(a.getId(), Map.of()).values());
      }
    }
    return found;
  }

  private static boolean predestroyStarted(String name) {
    try {
      return !predestroyRunsOf(name).isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> predestroyRunsOf(String name) throws IOException {
    Path file = predestroyRuns.resolve(name);
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private static boolean exists(String sql, String value) throws Exception {
    try (Connection admin = world.postgres.admin("postgres");
        PreparedStatement s = admin.prepareStatement(sql)) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean listening(String address) {
    String[] hostPort = address.split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String route(String name) {
    return world
        .kv
        .get(world.keys.routes() + name + ".review.test")
        .map(e -> e.text())
        .orElseThrow();
  }

  private static int get(String upstream) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + upstream + "/api"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Nothing of the app is left in any system; {@code pids} were its processes. Nomad lists jobs by
   * ID prefix, so no app name in this class may be the prefix of another.
   */
  private static void assertNothingLeft(String name, Set<Long> pids) throws Exception {
    String db = "ra_" + name.replace('-', '_');
    assertThat(world.kv.get(world.layout.spec(name))).as("spec of %s", name).isEmpty();
    assertThat(world.kv.get(world.layout.status(name))).as("status of %s", name).isEmpty();
    assertThat(world.kv.get(world.layout.inventory(name))).as("inventory of %s", name).isEmpty();
    assertThat(world.kv.get(world.layout.prefix() + "secrets/" + name))
        .as("credentials of %s", name)
        .isEmpty();
    assertThat(world.kv.keys(world.keys.routes() + name + ".")).as("route of %s", name).isEmpty();
    assertThat(world.nomadClient.getJobsApi().list(name).getValue())
        .as("Nomad jobs of %s", name)
        .isEmpty();
    assertThat(pids)
        .as("processes of %s", name)
        .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = ?", db))
        .as("database of %s", name)
        .isFalse();
    assertThat(exists("SELECT 1 FROM pg_roles WHERE rolname = ?", db))
        .as("role of %s", name)
        .isFalse();
    assertThat(world.assets().count(name)).as("S3 assets of %s", name).isZero();
  }

  @Test
  void aDeletedSharedAppLeavesNothingBehindAndTheOtherAppKeepsServing() throws Exception {
    String name = "deploy-td-gone";
    String other = "deploy-td-stays";
    TearingDownController controller = controller();
    putSpec(name, withPredestroy(Apps.shared(name, "aaaa0001"), predestroyRuns.toString()));
    putSpec(other, Apps.shared(other, "aaaa0002"));
    driveAll(controller.reconciler(), List.of(name, other), TeardownTest::ready);
    putAssets(name, 3);
    putAssets(other, 2);
    String web = route(name);
    Set<Long> pids = pidsOf(name);
    assertThat(pids).hasSizeGreaterThanOrEqualTo(3);
    assertThat(listening(web)).isTrue();

    String password =
        new ObjectMapper()
            .readTree(world.kv.get(world.layout.prefix() + "secrets/" + name).orElseThrow().value())
            .get("password")
            .asText();

    deleteSpec(name);
    assertThat(controller.reconciler().reconcile(name)).isInstanceOf(Result.RequeueAfter.class);
    // The predestroy job carries DATABASE_URL; neither status nor inventory does.
    assertThat(world.kv.get(world.layout.status(name)).orElseThrow().text())
        .doesNotContain(password);
    assertThat(world.kv.get(world.layout.inventory(name)).orElseThrow().text())
        .doesNotContain(password);
    // Under way: Deleting, the route gone first, the database still there for predestroy.
    ReviewAppStatus deleting = status(name).orElseThrow();
    assertThat(deleting.phase()).isEqualTo(Phase.Deleting);
    assertThat(controller.apps(Phase.Deleting)).as("review_apps{phase=Deleting}").isOne();
    assertThat(controller.apps(Phase.Ready)).as("the other app").isOne();
    assertThat(deleting.message()).isPresent();
    assertThat(world.kv.keys(world.keys.routes() + name + ".")).isEmpty();
    driveAll(controller.reconciler(), List.of(name), TeardownTest::gone);

    assertNothingLeft(name, pids);
    assertThat(listening(web)).as("web process of %s", name).isFalse();
    // The predestroy command ran once, reaching the seeded database and the app's Redis.
    assertThat(predestroyRunsOf(name))
        .singleElement()
        .asString()
        .startsWith("ra_deploy_td_gone items=3 redis=redis://");
    assertThat(controller.teardowns("completed")).isEqualTo(1);
    assertThat(controller.registry().get("review_apps_teardown_duration").timer().count())
        .isEqualTo(1);
    assertThat(controller.apps(Phase.Deleting)).as("gone: counted nowhere").isZero();

    // The other app is untouched and still serving.
    assertThat(ready(other)).isTrue();
    assertThat(get(route(other))).isEqualTo(200);
    assertThat(world.assets().count(other)).isEqualTo(2);
    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = ?", "ra_deploy_td_stays"))
        .isTrue();
  }

  @Test
  void rdsInstancesAreDeletedWithAFinalSnapshotOnlyWhenConfigured() throws Exception {
    String kept = "deploy-td-rds-snap";
    String dropped = "deploy-td-rds-nosnap";
    TearingDownController withSnapshot =
        controller(
            settings().withFinalSnapshot(true), TeardownGate.OPEN, Teardown.StageObserver.NONE);
    TearingDownController without = controller();
    putSpec(kept, Apps.instance(kept, "bbbb0001"));
    putSpec(dropped, Apps.instance(dropped, "bbbb0002"));
    // Deleted as soon as its instance is available: the rest of the app is still starting.
    driveAll(withSnapshot.reconciler(), List.of(kept, dropped), TeardownTest::databaseReady);
    deleteSpec(kept);
    deleteSpec(dropped);
    driveAll(withSnapshot.reconciler(), List.of(kept), TeardownTest::gone);
    driveAll(without.reconciler(), List.of(dropped), TeardownTest::gone);

    for (String name : List.of(kept, dropped)) {
      assertThatThrownBy(
              () -> world.rds.describeDBInstances(r -> r.dbInstanceIdentifier("ra-" + name)))
          .isInstanceOf(DbInstanceNotFoundException.class);
      assertThat(world.nomadClient.getJobsApi().list(name).getValue()).isEmpty();
    }
    assertThat(snapshotsOf("ra-" + kept))
        .singleElement()
        .asString()
        .startsWith("ra-" + kept + "-final-");
    assertThat(snapshotsOf("ra-" + dropped)).isEmpty();
  }

  private static List<String> snapshotsOf(String instance) {
    return world
        .rds
        .describeDBSnapshots(r -> r.dbInstanceIdentifier(instance))
        .dbSnapshots()
        .stream()
        .map(s -> s.dbSnapshotIdentifier())
        .toList();
  }

  @Test
  void aTeardownInterruptedAfterAnyStageIsFinishedByAFreshControllerAndLeavesNothing()
      throws Exception {
    // After every kind's delete and the status (after the inventory is deleted there is nothing
    // left to interrupt).
    List<String> stages =
        new ArrayList<>(
            List.of(
                "route",
                "worker",
                "web",
                "seed",
                "migrate",
                "predestroy",
                "redis",
                "capacity",
                "database",
                "assets",
                Teardown.STATUS));
    Map<String, String> crashAt = new ConcurrentHashMap<>();
    for (String stage : stages) {
      crashAt.put("deploy-td-crash-" + stage, stage);
    }
    List<String> names = crashAt.keySet().stream().sorted().toList();
    TearingDownController provisioning = controller();
    for (String name : names) {
      putSpec(name, withPredestroy(Apps.shared(name, "cccc0001"), predestroyRuns.toString()));
    }
    driveAll(provisioning.reconciler(), names, TeardownTest::ready);
    Map<String, Set<Long>> pids = new ConcurrentHashMap<>();
    for (String name : names) {
      putAssets(name, 2);
      pids.put(name, pidsOf(name));
      deleteSpec(name);
    }

    Set<String> crashed = ConcurrentHashMap.newKeySet();
    TearingDownController crashing =
        controller(
            settings(),
            TeardownGate.OPEN,
            (app, stage) -> {
              if (stage.equals(crashAt.get(app))) {
                crashed.add(app);
                throw new IllegalStateException("simulated crash after " + stage);
              }
            });
    driveAll(crashing.reconciler(), names, crashed::contains);
    for (String name : names) {
      assertThat(world.kv.get(world.layout.inventory(name)))
          .as("inventory of %s after the crash", name)
          .isPresent();
    }

    // A freshly started controller finishes every teardown.
    TearingDownController fresh = controller();
    driveAll(fresh.reconciler(), names, TeardownTest::gone);
    for (String name : names) {
      assertNothingLeft(name, pids.get(name));
      assertThat(predestroyRunsOf(name)).as("predestroy runs of %s", name).hasSize(1);
    }
    assertThat(fresh.teardowns("completed")).isEqualTo(names.size());
  }

  @Test
  void aFailingStageIsRetriedAndNoLaterStageRunsBeforeItSucceeds() throws Exception {
    String name = "deploy-td-s3-down";
    TearingDownController controller = controller();
    putSpec(name, Apps.shared(name, "dddd0001"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::databaseReady);
    putAssets(name, 4);
    world.aws.faults().set(FaultRule.error("s3:ListObjectsV2", 500));
    try {
      deleteSpec(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(150))
          .until(
              () -> {
                try {
                  controller.reconciler().reconcile(name);
                  return false;
                } catch (RuntimeException e) {
                  return statusSays(
                      name, s -> s.lastError().orElse("").startsWith("deleting the S3 assets"));
                }
              });
      // Earlier kinds are done (the credentials go with the database); the failing one and
      // everything after it are not.
      assertThat(exists("SELECT 1 FROM pg_database WHERE datname = ?", "ra_deploy_td_s3_down"))
          .isFalse();
      assertThat(world.kv.get(world.layout.prefix() + "secrets/" + name)).isEmpty();
      assertThat(world.kv.get(world.layout.inventory(name))).isPresent();
      assertThat(status(name).orElseThrow().phase()).isEqualTo(Phase.Deleting);
      assertThat(controller.teardowns("failed")).isPositive();
      assertThat(controller.apps(Phase.Deleting)).as("counted after a failed pass too").isOne();
    } finally {
      world.aws.faults().clear();
    }
    assertThat(world.assets().count(name)).isEqualTo(4);
    driveAll(controller.reconciler(), List.of(name), TeardownTest::gone);
    assertNothingLeft(name, Set.of());
  }

  @Test
  void aFailingPredestroyIsRetriedABoundedNumberOfTimesThenTheTeardownGoesOn() throws Exception {
    String name = "deploy-td-bad-script";
    TearingDownController controller =
        controller(
            settings().withPredestroy(2, Duration.ofMinutes(2)),
            TeardownGate.OPEN,
            Teardown.StageObserver.NONE);
    putSpec(
        name, withPredestroy(Apps.shared(name, "eeee0001"), predestroyRuns.toString() + " fail"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::databaseReady);
    deleteSpec(name);
    driveAll(controller.reconciler(), List.of(name), TeardownTest::gone);

    assertNothingLeft(name, Set.of());
    // Two attempts, each run twice by Nomad's restart policy of release jobs; every run reached
    // the database, which was dropped only after the last.
    assertThat(predestroyRunsOf(name))
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).startsWith("ra_deploy_td_bad_script "));
    assertThat(controller.predestroys("gave-up")).isEqualTo(1);
  }

  @Test
  void aPredestroyThatHangsIsGivenUpAfterItsTimeoutAndItsProcessStopped() throws Exception {
    String name = "deploy-td-hangs";
    TearingDownController controller =
        controller(
            settings().withPredestroy(1, Duration.ofSeconds(3)),
            TeardownGate.OPEN,
            (app, stage) -> {});
    putSpec(
        name, withPredestroy(Apps.shared(name, "eeee0002"), predestroyRuns.toString() + " hang"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::databaseReady);
    deleteSpec(name);
    long started = System.nanoTime();
    // The hanging script has started: its process is among the app's now.
    driveAll(controller.reconciler(), List.of(name), TeardownTest::predestroyStarted);
    Set<Long> pids = pidsOf(name);
    driveAll(controller.reconciler(), List.of(name), TeardownTest::gone);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(pids).isNotEmpty();
    assertNothingLeft(name, pids);
    assertThat(predestroyRunsOf(name)).hasSize(1);
    assertThat(controller.predestroys("gave-up")).isEqualTo(1);
  }

  @Test
  void aHoldingGateDeletesNothingAndSaysWhyAndIsNotAskedOnceTheTeardownBegan() throws Exception {
    String name = "deploy-td-held";
    AtomicReference<Optional<String>> hold =
        new AtomicReference<>(Optional.of("12 apps deleted within a minute; confirm them"));
    AtomicInteger asked = new AtomicInteger();
    TeardownGate gate =
        app -> {
          asked.incrementAndGet();
          return hold.get();
        };
    TearingDownController controller =
        controller(settings().withHoldRecheck(Duration.ofSeconds(7)), gate, (app, stage) -> {});
    putSpec(name, Apps.shared(name, "ffff0001"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::databaseReady);
    Phase before = status(name).orElseThrow().phase();
    String inventoryBefore = world.kv.get(world.layout.inventory(name)).orElseThrow().text();

    deleteSpec(name);
    assertThat(controller.reconciler().reconcile(name))
        .isEqualTo(Result.requeueAfter(Duration.ofSeconds(7)));
    assertThat(controller.reconciler().reconcile(name))
        .isEqualTo(Result.requeueAfter(Duration.ofSeconds(7)));
    ReviewAppStatus held = status(name).orElseThrow();
    assertThat(held.phase()).isEqualTo(before);
    assertThat(held.lastError())
        .contains("teardown held: 12 apps deleted within a minute; confirm them");
    assertThat(world.kv.get(world.layout.inventory(name)).orElseThrow().text())
        .isEqualTo(inventoryBefore);
    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = ?", "ra_deploy_td_held")).isTrue();
    assertThat(controller.teardowns("held")).isEqualTo(2);
    assertThat(controller.apps(before)).as("held: still in its phase, as status says").isOne();
    assertThat(controller.apps(Phase.Deleting)).isZero();

    hold.set(Optional.empty());
    // Begun: an app that only reached its database may be gone in this one pass, or wait for
    // its Redis allocation to stop.
    controller.reconciler().reconcile(name);
    assertThat(controller.teardowns("held")).as("not held this time").isEqualTo(2);
    assertThat(controller.apps(before)).isZero();
    // Once begun, the teardown is never held again, whatever the gate says now.
    hold.set(Optional.of("held again"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::gone);
    assertThat(asked).hasValue(3);
    assertNothingLeft(name, Set.of());
    assertThat(controller.apps(Phase.Deleting)).as("gone: counted nowhere").isZero();
  }

  @Test
  void aSpecThatComesBackWhileItsTeardownIsHeldKeepsItsAppAndLosesTheHoldReason() throws Exception {
    String name = "deploy-td-returns-held";
    TearingDownController controller =
        controller(settings(), app -> Optional.of("guard holds"), Teardown.StageObserver.NONE);
    putSpec(name, Apps.shared(name, "abab0003"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::databaseReady);
    deleteSpec(name);
    controller.reconciler().reconcile(name);
    assertThat(status(name).orElseThrow().lastError()).contains("teardown held: guard holds");

    putSpec(name, Apps.shared(name, "abab0003"));
    controller.reconciler().reconcile(name);
    assertThat(status(name).orElseThrow().lastError()).isEmpty();
    assertThat(world.kv.get(world.layout.inventory(name)).orElseThrow().text())
        .doesNotContain("\"teardown\"");
    assertThat(exists("SELECT 1 FROM pg_database WHERE datname = ?", "ra_deploy_td_returns_held"))
        .isTrue();
  }

  @Test
  void aSpecThatComesBackDuringItsTeardownIsProvisionedAfreshOnceTheTeardownIsDone()
      throws Exception {
    String name = "deploy-td-back";
    TearingDownController controller = controller();
    putSpec(name, Apps.shared(name, "abab0001"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::ready);
    long oidBefore = databaseOid("ra_deploy_td_back");

    deleteSpec(name);
    assertThat(controller.reconciler().reconcile(name)).isInstanceOf(Result.RequeueAfter.class);
    assertThat(status(name).orElseThrow().phase()).isEqualTo(Phase.Deleting);
    putSpec(name, Apps.shared(name, "abab0002"));
    driveAll(controller.reconciler(), List.of(name), TeardownTest::ready);

    assertThat(controller.teardowns("completed")).isEqualTo(1);
    assertThat(world.kv.get(world.layout.inventory(name)).orElseThrow().text())
        .doesNotContain("\"teardown\"");
    // A new database (the old one was dropped), and the app serves again from it.
    assertThat(databaseOid("ra_deploy_td_back")).isNotEqualTo(oidBefore);
    assertThat(get(route(name))).isEqualTo(200);
  }

  private static long databaseOid(String database) throws Exception {
    try (Connection admin = world.postgres.admin("postgres");
        PreparedStatement s =
            admin.prepareStatement("SELECT oid FROM pg_database WHERE datname = ?")) {
      s.setString(1, database);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("database %s exists", database).isTrue();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aStatusLeftByASpecThatNeverProvisionedIsDeleted() throws Exception {
    String name = "deploy-td-never";
    TearingDownController controller = controller();
    putSpec(name, Apps.shared(name, "not a commit"));
    assertThatThrownBy(() -> controller.reconciler().reconcile(name))
        .isInstanceOf(TerminalError.class);
    assertThat(status(name)).isPresent();
    deleteSpec(name);
    assertThat(controller.reconciler().reconcile(name)).isEqualTo(Result.done());
    assertThat(status(name)).isEmpty();
  }

  @Test
  void wakeSleepAndActivityKeysOfANameWithNoAppAreDeleted() throws Exception {
    String name = "deploy-td-nobody";
    TearingDownController controller = controller();
    for (String key :
        List.of(world.keys.wake(name), world.keys.sleep(name), world.keys.activity(name))) {
      world.kv.put(key, "1764748800".getBytes(StandardCharsets.UTF_8));
      assertThat(controller.reconciler().reconcile(name)).isEqualTo(Result.done());
      assertThat(world.kv.get(key)).as(key).isEmpty();
    }
    assertThat(world.kv.get(world.layout.inventory(name))).isEmpty();
  }
}
