package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.routes.ConsulRouteTable;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TrueJob;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A spec author trying to reach what is not theirs. A victim app runs, foreign resources exist
 * without review-apps' marks (a Nomad job, one named like the controller's own, an RDS instance, a
 * PostgreSQL database, a database of another team); then every hostile spec and key below is
 * written to Consul at once and the whole engine (watch, queue, workers, status writer) takes them.
 * Each case asserts its own outcome (ignored, refused naming the field and rule, or a {@code
 * Conflict} naming the resource); the last test reads PostgreSQL, Nomad, devstack RDS and Consul to
 * show that the victim and every foreign resource are exactly as they were.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class AdversarialSuiteTest {
  private static final String VICTIM = "deploy-victim";
  private static final String FOREIGN_JOB = "deploy-squat";
  private static final String CONTROLLER_JOB = "review-apps-controller";
  private static final String FOREIGN_RDS = "deploy-rds-squat";
  private static final String FOREIGN_DB = "deploy-pg-squat";
  private static final String PAYROLL = "payroll";

  private enum Outcome {
    /** The key is no app name: never queued, nothing written for it. */
    IGNORED,
    /** Refused at validation: condition Valid is False with this text. */
    INVALID,
    /** A resource under its name is not its own: DatabaseReady or a job step says Conflict. */
    CONFLICT
  }

  private record Hostile(String why, String key, byte[] body, Outcome outcome, String expect) {
    static Hostile of(String why, String key, String body, Outcome outcome, String expect) {
      return new Hostile(why, key, body.getBytes(StandardCharsets.UTF_8), outcome, expect);
    }
  }

  private static ReviewAppWorld world;
  private static Engine engine;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static final List<Hostile> cases = new ArrayList<>();
  private static long victimIndex;
  private static String victimRoute;
  private static BigInteger victimJobVersion;
  private static BigInteger foreignJobVersion;
  private static BigInteger controllerJobVersion;

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    engine = world.startEngine(registry, 4);
    world.putSpec(VICTIM, Apps.shared(VICTIM, "aaaa0001"));
    victimIndex = world.kv.get(world.layout.spec(VICTIM)).orElseThrow().modifyIndex();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                world
                    .status(VICTIM)
                    .map(s -> s.phase() == Phase.Ready && s.observedIndex() == victimIndex)
                    .orElse(false));
    victimRoute = routeOf(VICTIM).orElseThrow();
    victimJobVersion = jobVersion(VICTIM);

    // Foreign resources, made before any hostile spec and carrying no review-apps mark.
    world.nomadClient.getJobsApi().register(TrueJob.of(FOREIGN_JOB, Map.of(), "run"));
    world.nomadClient.getJobsApi().register(TrueJob.of(CONTROLLER_JOB, Map.of(), "run"));
    foreignJobVersion = jobVersion(FOREIGN_JOB);
    controllerJobVersion = jobVersion(CONTROLLER_JOB);
    world.rds.createDBInstance(
        r ->
            r.dbInstanceIdentifier("ra-" + FOREIGN_RDS)
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .engine("postgres")
                .masterUsername("theirs")
                .masterUserPassword("TheirPassword123"));
    sql("postgres", "CREATE DATABASE ra_deploy_pg_squat", "CREATE DATABASE " + PAYROLL);
    sql("ra_deploy_pg_squat", "CREATE TABLE t (v int)", "INSERT INTO t VALUES (7)");
    sql(PAYROLL, "CREATE TABLE salaries (v int)", "INSERT INTO salaries VALUES (100000)");

    addCases();
    for (Hostile h : cases) {
      world.kv.put(world.layout.spec(h.key()), h.body());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    // Also stops the engine it started.
    world.close();
  }

  private static String spec(String name) {
    return Apps.shared(name, "bbbb0001");
  }

  private static String withDatabase(String name, String database) {
    return spec(name).replace("{\"mode\":\"shared\"}", database);
  }

  private static void addCases() {
    // Keys that are no app name: never reconciled, never written under another name.
    for (String key :
        List.of(
            "deploy-a--x",
            "Deploy-Upper",
            "deploy-q?recurse",
            "deploy-h#fragment",
            "deploy-p%2e%2e",
            "deploy-sp ace",
            VICTIM + ".seed.0001",
            VICTIM + "/nested",
            "-deploy-leading",
            "deploy-" + "x".repeat(54),
            "deploy-ünicode")) {
      cases.add(Hostile.of("key " + key, key, spec(VICTIM), Outcome.IGNORED, ""));
    }
    // Data from where the spec may not take it.
    String[][] templates = {
      {"postgres", "the server's administrative database"},
      {"template1", "PostgreSQL's own template"},
      {"ra_deploy_victim", "another app's database"},
      {PAYROLL, "another team's database"},
    };
    int i = 0;
    for (String[] t : templates) {
      String name = "deploy-tpl-" + ++i;
      cases.add(
          Hostile.of(
              "template " + t[0] + " (" + t[1] + ")",
              name,
              withDatabase(name, "{\"mode\":\"shared\",\"template\":\"" + t[0] + "\"}"),
              Outcome.INVALID,
              "\"" + t[0] + "\""));
    }
    for (String snapshot :
        List.of("prod-db-final", "arn:aws:rds:us-east-1:000000000000:snapshot:prod-db-final")) {
      String name = "deploy-snap-" + ++i;
      cases.add(
          Hostile.of(
              "snapshot " + snapshot,
              name,
              withDatabase(
                  name, "{\"mode\":\"snapshot\",\"snapshotIdentifier\":\"" + snapshot + "\"}"),
              Outcome.INVALID,
              "snapshotIdentifier"));
    }
    // Reaching another app or the controller through the spec's own fields.
    cases.add(
        Hostile.of(
            "metadata.name of the victim under its own key",
            "deploy-imposter",
            spec(VICTIM),
            Outcome.INVALID,
            "must be the key's name deploy-imposter"));
    for (String env :
        List.of("DATABASE_URL", "REDIS_URL", "PORT", "NOMAD_TOKEN", "REVIEW_APP_URL")) {
      String name = "deploy-env-" + env.toLowerCase().replace('_', '-');
      cases.add(
          Hostile.of(
              "env " + env + " set by the spec",
              name,
              spec(name)
                  .replace(
                      "\"APP_GREETING\":\"hello\"",
                      "\"" + env + "\":\"postgresql://postgres@127.0.0.1/postgres\""),
              Outcome.INVALID,
              "$.spec.env." + env));
    }
    cases.add(
        Hostile.of(
            "a field to claim the victim's host",
            "deploy-host",
            spec("deploy-host")
                .replace("\"spec\":{", "\"spec\":{\"host\":\"deploy-victim.review.test\","),
            Outcome.INVALID,
            "$.spec.host"));
    cases.add(
        Hostile.of(
            "a branch holding a newline and a command",
            "deploy-shell",
            spec("deploy-shell")
                .replace("\"branch\":\"deploy-shell\"", "\"branch\":\"deploy-x\\nid\""),
            Outcome.INVALID,
            "$.spec.branch"));
    cases.add(
        Hostile.of(
            "a health path on another host",
            "deploy-health",
            spec("deploy-health").replace("\"/health\"", "\"http://169.254.169.254/latest\""),
            Outcome.INVALID,
            "healthPath"));
    cases.add(
        Hostile.of(
            "a count that would empty the node",
            "deploy-count",
            spec("deploy-count").replace("\"count\":1,\"cpu\":50", "\"count\":100000,\"cpu\":50"),
            Outcome.INVALID,
            "count"));
    cases.add(
        Hostile.of(
            "duplicate keys, the second naming the victim",
            "deploy-dup",
            spec("deploy-dup")
                .replace(
                    "\"name\":\"deploy-dup\"",
                    "\"name\":\"deploy-dup\",\"name\":\"" + VICTIM + "\""),
            Outcome.INVALID,
            "uplicate"));
    cases.add(Hostile.of("not JSON", "deploy-notjson", "{\"apiVersion\":", Outcome.INVALID, "$"));
    StringBuilder env = new StringBuilder();
    for (int k = 0; k < 20_000; k++) {
      env.append(k == 0 ? "" : ",").append("\"bad-").append(k).append("\":\"x\"");
    }
    cases.add(
        Hostile.of(
            "20,000 bad env names",
            "deploy-envflood",
            spec("deploy-envflood").replace("\"APP_GREETING\":\"hello\"", env.toString()),
            Outcome.INVALID,
            "and 19981 more"));
    cases.add(
        Hostile.of(
            "an image reference with a newline",
            "deploy-image",
            spec("deploy-image").replace("shop/web:", "shop/web\\nFROM evil:"),
            Outcome.INVALID,
            "$.spec.image"));
    cases.add(
        Hostile.of(
            "a command with NUL",
            "deploy-nul",
            spec("deploy-nul").replace("/bin/web\"", "/bin/web\\u0000rm -rf /\""),
            Outcome.INVALID,
            "command"));
    // Names whose resources exist without the app's mark.
    cases.add(
        Hostile.of(
            "a foreign Nomad job under the app's name",
            FOREIGN_JOB,
            spec(FOREIGN_JOB),
            Outcome.CONFLICT,
            "Nomad job " + FOREIGN_JOB));
    cases.add(
        Hostile.of(
            "an app named like the controller's own job",
            CONTROLLER_JOB,
            spec(CONTROLLER_JOB),
            Outcome.CONFLICT,
            "Nomad job " + CONTROLLER_JOB));
    cases.add(
        Hostile.of(
            "a foreign RDS instance under the app's identifier",
            FOREIGN_RDS,
            Apps.instance(FOREIGN_RDS, "bbbb0001"),
            Outcome.CONFLICT,
            "RDS instance ra-" + FOREIGN_RDS));
    cases.add(
        Hostile.of(
            "a foreign PostgreSQL database under the app's name",
            FOREIGN_DB,
            spec(FOREIGN_DB),
            Outcome.CONFLICT,
            "PostgreSQL database ra_deploy_pg_squat"));
  }

  @Test
  void thereAreAtLeastThirtyCases() {
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
  }

  @TestFactory
  Stream<DynamicTest> eachHostileSpecOrKeyHasItsOutcome() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                registry.get("controller_spec_keys_ignored").counter().count()
                    >= cases.stream()
                        // A nested key is no spec key at all: the watch skips it uncounted.
                        .filter(h -> h.outcome() == Outcome.IGNORED && !h.key().contains("/"))
                        .count());
    return cases.stream().map(h -> DynamicTest.dynamicTest(h.why(), () -> check(h)));
  }

  private static void check(Hostile h) throws Exception {
    switch (h.outcome()) {
      case IGNORED -> {
        // Nothing at all is written for the key's name or under any name but the victim's own.
        assertThat(world.kv.get(world.layout.status(h.key()))).isEmpty();
        assertThat(world.kv.get(world.layout.inventory(h.key()))).isEmpty();
        assertThat(world.status(VICTIM).orElseThrow().observedIndex()).isEqualTo(victimIndex);
      }
      case INVALID -> {
        ReviewAppStatus status = awaitStatus(h.key(), ConditionType.Valid);
        assertThat(status.phase()).isEqualTo(Phase.Failed);
        assertThat(status.condition(ConditionType.Valid).orElseThrow().message())
            .contains(h.expect());
        assertThat(world.kv.get(world.layout.inventory(h.key()))).isEmpty();
        assertThat(databaseExists("ra_" + h.key().replace('-', '_'))).isFalse();
      }
      case CONFLICT -> {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> world.status(h.key()).map(s -> s.phase() == Phase.Failed).orElse(false));
        ReviewAppStatus status = world.status(h.key()).orElseThrow();
        assertThat(status.conditions())
            .anySatisfy(
                c -> {
                  assertThat(c.reason()).isEqualTo("Conflict");
                  assertThat(c.message()).contains(h.expect());
                });
      }
    }
  }

  private static ReviewAppStatus awaitStatus(String name, ConditionType type) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                world
                    .status(name)
                    .flatMap(s -> s.condition(type))
                    .map(c -> c.status() == ConditionStatus.False)
                    .orElse(false));
    return world.status(name).orElseThrow();
  }

  /** Runs last (method-name order), once every case has had its outcome. */
  @Test
  void zTheVictimAndEveryForeignResourceAreUntouched() throws Exception {
    eachHostileSpecOrKeyHasItsOutcome().forEach(d -> {});
    for (Hostile h : cases) {
      if (h.outcome() == Outcome.CONFLICT) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> world.status(h.key()).map(s -> s.phase() == Phase.Failed).orElse(false));
      } else if (h.outcome() == Outcome.INVALID) {
        awaitStatus(h.key(), ConditionType.Valid);
      }
    }
    // The victim: still Ready for its own spec, same job version, same route, its data there.
    ReviewAppStatus victim = world.status(VICTIM).orElseThrow();
    assertThat(victim.phase()).isEqualTo(Phase.Ready);
    assertThat(victim.observedIndex()).isEqualTo(victimIndex);
    assertThat(jobVersion(VICTIM)).isEqualTo(victimJobVersion);
    assertThat(routeOf(VICTIM)).contains(victimRoute);
    assertThat(count("ra_deploy_victim", "SELECT count(*) FROM items")).isEqualTo(3);
    // Foreign Nomad jobs: not registered over, not stopped.
    for (Map.Entry<String, BigInteger> job :
        Map.of(FOREIGN_JOB, foreignJobVersion, CONTROLLER_JOB, controllerJobVersion).entrySet()) {
      Job now = world.nomadClient.getJobsApi().info(job.getKey()).getValue();
      assertThat(now.getVersion()).as(job.getKey()).isEqualTo(job.getValue());
      assertThat(now.getStop()).as(job.getKey()).isNotEqualTo(Boolean.TRUE);
      assertThat(now.getMeta()).as(job.getKey()).isNullOrEmpty();
    }
    // The foreign RDS instance: there, not deleting, still theirs, no tag of ours.
    var rds =
        world
            .rds
            .describeDBInstances(r -> r.dbInstanceIdentifier("ra-" + FOREIGN_RDS))
            .dbInstances();
    assertThat(rds).hasSize(1);
    assertThat(rds.get(0).dbInstanceStatus()).isNotEqualTo("deleting");
    assertThat(rds.get(0).masterUsername()).isEqualTo("theirs");
    assertThat(rds.get(0).tagList()).noneMatch(t -> t.key().equals("review-app"));
    // Foreign databases: their data, no comment of ours, no copy of them anywhere.
    assertThat(count("ra_deploy_pg_squat", "SELECT v FROM t")).isEqualTo(7);
    assertThat(count(PAYROLL, "SELECT v FROM salaries")).isEqualTo(100000);
    assertThat(
            count(
                "postgres",
                "SELECT count(*) FROM pg_database d JOIN pg_shdescription c ON c.objoid = d.oid"
                    + " WHERE d.datname IN ('ra_deploy_pg_squat', '"
                    + PAYROLL
                    + "')"))
        .isZero();
    // Consul: one route, the victim's; nothing at all for a key that is no app name.
    assertThat(world.kv.keys(world.keys.routes()))
        .filteredOn(k -> !k.endsWith("/" + ConsulRouteTable.EXPECTED))
        .hasSize(1);
    for (Hostile h : cases) {
      if (h.outcome() == Outcome.IGNORED) {
        assertThat(world.kv.get(world.keys.phase(h.key()))).as(h.why()).isEmpty();
      }
    }
  }

  private static Optional<String> routeOf(String name) {
    return world
        .kv
        .get(world.keys.routes() + name + ".review.test")
        .map(e -> new String(e.value(), StandardCharsets.UTF_8));
  }

  private static BigInteger jobVersion(String id) throws Exception {
    return world.nomadClient.getJobsApi().info(id).getValue().getVersion();
  }

  private static boolean databaseExists(String name) throws Exception {
    return count("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") > 0;
  }

  private static long count(String database, String query) throws Exception {
    try (Connection c = world.postgres.admin(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String database, String... statements) throws Exception {
    try (Connection c = world.postgres.admin(database);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
