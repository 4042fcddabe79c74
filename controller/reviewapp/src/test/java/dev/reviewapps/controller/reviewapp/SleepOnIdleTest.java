package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.testing.RedisProbe;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sleep on idle through the whole engine: the watches see the router's wake requests and
 * reviewctl's sleep requests, workers run the reconciler, status is what users read. The
 * reconciler's clock is a test clock (idle time passes without waiting); Nomad, Consul and the
 * processes are real stand-ins and real processes.
 */
class SleepOnIdleTest {

  private static final Duration SLEEP_AFTER = Duration.ofMinutes(30);
  private static ReviewAppWorld world;
  private static final TestClock clock = new TestClock(Instant.now());
  private SimpleMeterRegistry registry;
  private Engine engine;

  @BeforeAll
  static void startWorld() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
  }

  @AfterAll
  static void stopWorld() throws Exception {
    world.close();
  }

  @AfterEach
  void stopEngine() {
    if (engine != null) {
      engine.stop(Duration.ofSeconds(5));
    }
  }

  /** A fresh controller (new registry, nothing in memory) over the same world. */
  private void startController() {
    registry = new SimpleMeterRegistry();
    ReviewAppReconciler reconciler =
        world.reconciler(
            ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
            new ReviewAppSettings(
                ReviewAppWorld.HOSTS,
                "http",
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                Optional.of(SLEEP_AFTER)),
            clock,
            registry,
            ReviewAppReconciler.AbsentSpec.NOTHING,
            ReviewAppReconciler.StepObserver.NONE,
            ReviewAppReconciler.Policies.NONE);
    engine = world.startEngine(reconciler, registry, 2);
  }

  private static Optional<ReviewAppStatus> status(String name) {
    return world.status(name);
  }

  private static Phase phase(String name) {
    return status(name).map(ReviewAppStatus::phase).orElse(Phase.Pending);
  }

  private static Condition awake(String name) {
    return status(name).flatMap(s -> s.condition(ConditionType.Awake)).orElseThrow();
  }

  private static void put(String key, String value) {
    world.kv.put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String now() {
    return Long.toString(clock.instant().getEpochSecond());
  }

  private static String host(String name) {
    return name + ".review.test";
  }

  private static Optional<String> route(String name) {
    return world.providers().routes().upstreams(host(name));
  }

  /** Web and worker allocations that run or are about to. */
  private static List<NomadJobs.GroupAllocation> processes(String name) {
    return java.util.stream.Stream.of("web", "worker")
        .flatMap(g -> world.providers().nomad().allocations(name, g).stream())
        .filter(a -> "run".equals(a.desiredStatus()) || "running".equals(a.clientStatus()))
        .toList();
  }

  private static NomadJobs.GroupAllocation redisAllocation(String name) {
    return world.providers().nomad().allocations(name, "redis").stream()
        .filter(NomadJobs.GroupAllocation::serving)
        .findFirst()
        .orElseThrow();
  }

  private void deployAndWaitReady(String name, String commit) {
    world.putSpec(name, Apps.shared(name, commit));
    long index = world.kv.get(world.layout.spec(name)).orElseThrow().modifyIndex();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                status(name)
                    .map(s -> s.phase() == Phase.Ready && s.observedIndex() == index)
                    .orElse(false));
  }

  @Test
  void anIdleAppSleepsWithNoProcessLeftAndAWakeRequestBringsItBackWithItsRedisData()
      throws Exception {
    startController();
    String name = "deploy-sleepy";
    deployAndWaitReady(name, "aaaa1111");
    String redis = redisAllocation(name).address().orElseThrow();
    String password = world.providers().credentials().read(name).orElseThrow().redisPassword();
    assertThat(RedisProbe.send(redis, "AUTH " + password, "SET kept across-sleep"))
        .containsExactly("+OK", "+OK");

    // A request reported by the router keeps it awake past its sleepAfter counted from deploy.
    clock.advance(Duration.ofMinutes(20));
    put(world.keys.activity(name), now());
    clock.advance(Duration.ofMinutes(20));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> phase(name) == Phase.Ready);
    assertThat(awake(name).message()).contains("last request through the router");

    clock.advance(Duration.ofMinutes(11));
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(name) == Phase.Sleeping);
    await().atMost(Duration.ofSeconds(60)).until(() -> processes(name).isEmpty());
    assertThat(route(name)).isEmpty();
    assertThat(world.kv.get(world.keys.phase(name)).map(e -> new String(e.value())))
        .contains("Sleeping");
    assertThat(awake(name).status()).isEqualTo(ConditionStatus.False);
    assertThat(awake(name).reason()).isEqualTo("Sleeping");
    // Only Redis still asks the cluster for anything.
    assertThat(new InventoryStore(world.kv, world.layout).read(name).inventory().allocations())
        .hasSize(1);
    // Other tests' apps share this Consul, and some of them sleep too.
    assertThat(registry.get("review_apps_sleeping").gauge().value()).isGreaterThanOrEqualTo(1.0);

    // Asleep for an hour is where it should be, not stuck: the not-Ready alert's gauge ignores it.
    clock.advance(Duration.ofHours(1));
    assertThat(registry.get("review_apps_oldest_not_ready_seconds").gauge().value())
        .isLessThan(3600);

    put(world.keys.wake(name), now());
    await().atMost(Duration.ofSeconds(120)).until(() -> phase(name) == Phase.Ready);
    assertThat(route(name)).isPresent();
    assertThat(world.kv.get(world.keys.wake(name))).isEmpty();
    assertThat(registry.get("review_apps_wakes").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("review_apps_wake_duration_seconds").timer().count()).isEqualTo(1);
    assertThat(redisAllocation(name).address()).contains(redis);
    assertThat(RedisProbe.send(redis, "AUTH " + password, "GET kept"))
        .containsExactly("+OK", "across-sleep");
  }

  @Test
  void aNewCommitWakesASleepingAppAndLeavesItAwake() {
    startController();
    String name = "deploy-pushed";
    deployAndWaitReady(name, "bbbb1111");
    put(world.keys.sleep(name), now());
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(name) == Phase.Sleeping);
    await().atMost(Duration.ofSeconds(60)).until(() -> processes(name).isEmpty());
    assertThat(world.kv.get(world.keys.sleep(name))).isEmpty();

    deployAndWaitReady(name, "bbbb2222");
    assertThat(awake(name).status()).isEqualTo(ConditionStatus.True);
    assertThat(route(name)).isPresent();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> phase(name) == Phase.Ready);
  }

  @Test
  void aControllerRestartedWhileAsleepOrMidWakeEndsInTheRightState() {
    startController();
    String name = "deploy-restarts";
    deployAndWaitReady(name, "cccc1111");
    put(world.keys.sleep(name), now());
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(name) == Phase.Sleeping);
    await().atMost(Duration.ofSeconds(60)).until(() -> processes(name).isEmpty());

    engine.stop(Duration.ofSeconds(5));
    startController();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> phase(name) == Phase.Sleeping && processes(name).isEmpty());

    put(world.keys.wake(name), now());
    await().atMost(Duration.ofSeconds(30)).until(() -> phase(name) == Phase.Waking);
    engine.stop(Duration.ZERO);
    startController();
    await().atMost(Duration.ofSeconds(120)).until(() -> phase(name) == Phase.Ready);
    assertThat(route(name)).isPresent();
    // The new controller finished the wake the old one began, and counted it.
    assertThat(registry.get("review_apps_wakes").counter().count()).isEqualTo(1.0);
  }

  @Test
  void hostileWakeAndActivityValuesNeitherBreakNorStretchAnything() {
    startController();
    String name = "deploy-hostile-wake";
    deployAndWaitReady(name, "dddd1111");
    put(world.keys.sleep(name), "<script>alert(1)</script>");
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(name) == Phase.Sleeping);
    // A value that is no time: the wake still happens, timed from when the controller saw it.
    put(world.keys.wake(name), "99999999999999999999999; DROP TABLE");
    await().atMost(Duration.ofSeconds(120)).until(() -> phase(name) == Phase.Ready);
    assertThat(
            registry
                .get("review_apps_wake_duration_seconds")
                .timer()
                .max(java.util.concurrent.TimeUnit.SECONDS))
        .isLessThan(120);
    // Garbage in the activity key is no activity: the app still sleeps when idle.
    put(world.keys.activity(name), "tomorrow");
    clock.advance(SLEEP_AFTER.plusMinutes(1));
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(name) == Phase.Sleeping);
    // A wake request for an app that does not exist creates nothing.
    put(world.keys.wake("deploy-nobody"), now());
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("deploy-nobody").isEmpty());
  }

  @Test
  void aSpecThatSaysNeverSleepsNeverSleepsOnItsOwn() {
    startController();
    String name = "deploy-insomniac";
    world.putSpec(
        name,
        Apps.shared(name, "eeee1111")
            .replace("\"processes\"", "\"sleepAfter\":\"0\",\"processes\""));
    await().atMost(Duration.ofSeconds(120)).until(() -> phase(name) == Phase.Ready);
    clock.advance(Duration.ofDays(3));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> phase(name) == Phase.Ready);
    assertThat(awake(name).message()).doesNotContain("sleeps after");
  }
}
