package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.reviewapp.cost.CostModel;
import dev.reviewapps.controller.reviewapp.gc.Expiry;
import dev.reviewapps.controller.reviewapp.gc.GcRecords;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.quota.Budget;
import dev.reviewapps.controller.reviewapp.quota.Quota;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import dev.reviewapps.controller.reviewapp.wiring.LifecyclePolicies;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quota and the status's {@code expiresAt}, with the real reconciler against the world of the
 * stand-ins. A reconcile runs once per call, as a worker would; none waits for Ready.
 */
class QuotaAndExpiryTest {
  private static ReviewAppWorld world;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T08:00:00Z"));

  @BeforeAll
  static void startWorld() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
  }

  @AfterAll
  static void stopWorld() throws Exception {
    world.close();
  }

  private ReviewAppReconciler reconciler(int quota) {
    return reconciler(quota, 0);
  }

  private ReviewAppReconciler reconciler(int quota, double maxDollarsPerHour) {
    Expiry expiry =
        new Expiry(new GcRecords(world.kv, world.layout), Optional.of(Duration.ofHours(72)), clock);
    return world.reconciler(
        Duration.ofMillis(200),
        clock,
        new SimpleMeterRegistry(),
        ReviewAppReconciler.AbsentSpec.NOTHING,
        ReviewAppReconciler.StepObserver.NONE,
        new LifecyclePolicies(
            new Quota(world.kv, world.layout, quota),
            new Budget(world.kv, world.layout, maxDollarsPerHour, QuotaAndExpiryTest::estimate),
            expiry,
            Duration.ofMillis(300)));
  }

  /** What the reconciler's default cost model says an app of {@code spec} costs awake. */
  private static double estimate(ReviewAppSpec spec) {
    return CostModel.DEFAULT.perHour(
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()))
            .allocations(spec),
        spec.database());
  }

  @Test
  void beyondTheQuotaAnAppStaysPendingAndTheOldestStartsWhenASlotFrees() throws Exception {
    // Other tests' apps share the world: two slots on top of theirs.
    int max = world.kv.keys(world.layout.inventories()).size() + 2;
    ReviewAppReconciler reconciler = reconciler(max);
    for (String app : new String[] {"deploy-q1", "deploy-q2", "deploy-q3", "deploy-q4"}) {
      putSpec(app);
    }
    reconciler.reconcile("deploy-q1");
    reconciler.reconcile("deploy-q2");
    // Newest first: the order of reconciles is not the order of the queue.
    Result queued = reconciler.reconcile("deploy-q4");
    reconciler.reconcile("deploy-q3");

    assertThat(queued).isEqualTo(Result.requeueAfter(Duration.ofMillis(300)));
    for (String app : new String[] {"deploy-q3", "deploy-q4"}) {
      ReviewAppStatus status = status(app);
      assertThat(status.phase()).isEqualTo(Phase.Pending);
      assertThat(status.condition(ConditionType.CapacityReady).orElseThrow())
          .satisfies(c -> assertThat(c.status()).isEqualTo(ConditionStatus.False))
          .satisfies(c -> assertThat(c.reason()).isEqualTo("QuotaExceeded"))
          .satisfies(c -> assertThat(c.message()).contains(max + " of at most " + max));
      assertThat(world.kv.get(world.layout.inventory(app))).as("nothing created").isEmpty();
    }
    assertThat(status("deploy-q1").phase()).isNotEqualTo(Phase.Pending);

    // deploy-q1 is deleted; while its teardown runs (inventory still there) its slot stays taken.
    world.kv.delete(world.layout.spec("deploy-q1"));
    reconciler.reconcile("deploy-q4");
    reconciler.reconcile("deploy-q3");
    assertThat(world.kv.get(world.layout.inventory("deploy-q3"))).isEmpty();
    world.kv.delete(world.layout.inventory("deploy-q1"));

    reconciler.reconcile("deploy-q4");
    assertThat(world.kv.get(world.layout.inventory("deploy-q4"))).as("q3 is older").isEmpty();
    reconciler.reconcile("deploy-q3");
    assertThat(world.kv.get(world.layout.inventory("deploy-q3"))).isPresent();
    assertThat(status("deploy-q3").condition(ConditionType.CapacityReady).orElseThrow().reason())
        .isNotEqualTo("QuotaExceeded");
    reconciler.reconcile("deploy-q4");
    assertThat(status("deploy-q4").condition(ConditionType.CapacityReady).orElseThrow().message())
        .contains("number 1 in the queue");
  }

  @Test
  void beyondTheBudgetAnAppStaysPendingWithTheNumbersAndStartsWhenRoomFrees() throws Exception {
    double each =
        estimate(
            ReviewAppJson.parse(Apps.shared("deploy-b1", "b1b1b1b1"))
                .toOptional()
                .orElseThrow()
                .spec());
    // Other tests' apps share the world: room for two and a half more on top of what they cost.
    double running =
        world
            .kv
            .list(world.layout.inventories(), dev.reviewapps.consul.BlockingQuery.NONE)
            .entries()
            .stream()
            .mapToDouble(
                e -> InventoryJson.read(e.value()).cost().map(c -> c.perHour()).orElse(0.0))
            .sum();
    // Specs of other tests still waiting (no inventory) are ahead in the queue, each costing as
    // much.
    java.util.Set<String> provisioned =
        dev.reviewapps.controller.reviewapp.guard.AppKeys.under(
            world.kv, world.layout.inventories());
    long ahead =
        dev.reviewapps.controller.reviewapp.guard.AppKeys.under(world.kv, world.layout.specs())
            .stream()
            .filter(a -> !provisioned.contains(a))
            .count();
    ReviewAppReconciler reconciler = reconciler(0, running + (ahead + 2.5) * each);
    for (String app : new String[] {"deploy-b1", "deploy-b2", "deploy-b3"}) {
      putSpec(app);
    }
    reconciler.reconcile("deploy-b3");
    reconciler.reconcile("deploy-b1");
    reconciler.reconcile("deploy-b2");
    reconciler.reconcile("deploy-b3");
    ReviewAppStatus waiting = status("deploy-b3");
    assertThat(waiting.phase()).isEqualTo(Phase.Pending);
    assertThat(waiting.condition(ConditionType.CapacityReady).orElseThrow())
        .satisfies(c -> assertThat(c.reason()).isEqualTo("BudgetExceeded"))
        .satisfies(c -> assertThat(c.message()).contains("per hour of a budget of $"))
        .satisfies(c -> assertThat(c.message()).contains("number 1 in the queue"));
    assertThat(world.kv.get(world.layout.inventory("deploy-b3"))).as("nothing created").isEmpty();
    assertThat(world.kv.get(world.layout.inventory("deploy-b2"))).isPresent();
    // The two that run have their cost in status and in their ledger.
    assertThat(status("deploy-b1").cost().orElseThrow().dollarsPerHour())
        .isCloseTo(each, org.assertj.core.data.Offset.offset(1e-9));

    // deploy-b1 goes (its teardown finished): room for deploy-b3.
    world.kv.delete(world.layout.spec("deploy-b1"));
    world.kv.delete(world.layout.inventory("deploy-b1"));
    reconciler.reconcile("deploy-b3");
    assertThat(world.kv.get(world.layout.inventory("deploy-b3"))).isPresent();
    assertThat(status("deploy-b3").condition(ConditionType.CapacityReady).orElseThrow().reason())
        .isNotEqualTo("BudgetExceeded");
  }

  @Test
  void statusShowsWhenTheSpecExpiresCountedFromItsFirstSighting() throws Exception {
    putSpec("deploy-ttl");
    reconciler(0).reconcile("deploy-ttl");
    Instant expected = clock.instant().plus(Duration.ofHours(72));
    assertThat(status("deploy-ttl").expiresAt()).contains(expected);

    clock.advance(Duration.ofHours(1));
    // A new controller (a restart): the first sighting is remembered in Consul.
    reconciler(0).reconcile("deploy-ttl");
    assertThat(status("deploy-ttl").expiresAt()).contains(expected);
  }

  private static void putSpec(String app) {
    world.kv.put(
        world.layout.spec(app), Apps.shared(app, "aaaa1111").getBytes(StandardCharsets.UTF_8));
  }

  private static ReviewAppStatus status(String app) {
    return world
        .kv
        .get(world.layout.status(app))
        .flatMap(e -> ReviewAppJson.parseStatus(e.value()).toOptional())
        .orElseThrow();
  }
}
