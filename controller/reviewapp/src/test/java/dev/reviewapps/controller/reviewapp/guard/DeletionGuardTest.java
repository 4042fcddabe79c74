package dev.reviewapps.controller.reviewapp.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.reviewapp.testing.LocalConsul;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard as the teardown asks it, against the devstack Consul. A teardown here is what the real
 * one does to the guard's view of the world: it removes the inventory, and only when the gate lets
 * it begin.
 */
class DeletionGuardTest {
  private static final List<String> APPS =
      IntStream.rangeClosed(1, 6).mapToObj(i -> "deploy-" + i).toList();

  @RegisterExtension static final LocalConsul consul = new LocalConsul();
  private KeyLayout layout;
  private DeletionGuard guard;
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void sixRunningApps() {
    layout = consul.freshLayout();
    guard =
        new DeletionGuard(
            consul.kv,
            layout,
            GuardLimits.DEFAULTS,
            registry,
            new TestClock(Instant.parse("2026-11-26T08:00:00Z")));
    for (String app : APPS) {
      consul.put(layout.spec(app), "{}");
      consul.put(layout.inventory(app), "{}");
    }
  }

  @Test
  void deletingFiveOfSixSpecsAtOnceIsHeldUntilConfirmed() throws Exception {
    assertThat(held()).as("registered at start").isZero();
    APPS.subList(0, 5).forEach(app -> consul.kv.delete(layout.spec(app)));

    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    assertThat(inventories()).as("nothing torn down").hasSize(6);
    assertThat(held()).isEqualTo(5);
    String record = consul.kv.get(new ReviewAppKeys(layout).guardHeld()).orElseThrow().text();
    assertThat(record)
        .contains("\"reason\":\"teardown of 5 of 6 apps at once", "\"since\":\"2026-11-26T08:00")
        .contains("\"apps\":[\"deploy-1\",\"deploy-2\",\"deploy-3\",\"deploy-4\",\"deploy-5\"]");
    assertThat(guard.holdReason("deploy-1")).get().asString().contains("specs are gone");

    confirm("deploy-1", "deploy-2", "deploy-3", "deploy-4", "deploy-5");
    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    assertThat(inventories()).containsExactly("deploy-6");
    assertThat(held()).isZero();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardHeld())).isEmpty();

    guard.reevaluate();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardConfirm()))
        .as("used up, removed")
        .isEmpty();
  }

  @Test
  void aHoldClearsByItselfWhenTheSpecsReappear() {
    APPS.subList(0, 5).forEach(app -> consul.kv.delete(layout.spec(app)));
    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    assertThat(held()).isEqualTo(5);

    // The ACL token got its rights back: the specs read again.
    APPS.subList(0, 4).forEach(app -> consul.put(layout.spec(app), "{}"));
    guard.reevaluate();
    assertThat(held()).isZero();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardHeld())).isEmpty();
    tearDownIfAllowed("deploy-5");
    assertThat(inventories()).doesNotContain("deploy-5").hasSize(5);
  }

  @Test
  void aConfirmationDoesNotOutliveTheDeletionItConfirmed() {
    APPS.subList(0, 5).forEach(app -> consul.kv.delete(layout.spec(app)));
    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    confirm("deploy-1", "deploy-2");
    // The ACL token got its rights back before the confirmed teardowns ran.
    APPS.subList(0, 5).forEach(app -> consul.put(layout.spec(app), "{}"));
    guard.reevaluate();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardConfirm()))
        .as("nothing of it was deleted: taken off")
        .isEmpty();

    // Months later, another mass deletion: the apps confirmed once are held like the others.
    APPS.subList(0, 5).forEach(app -> consul.kv.delete(layout.spec(app)));
    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    assertThat(inventories()).as("nothing torn down").hasSize(6);
    assertThat(held()).isEqualTo(5);
  }

  @Test
  void anAppWhoseSpecCameBackIsTakenOffTheConfirmationWhileTheHoldStays() {
    APPS.subList(0, 5).forEach(app -> consul.kv.delete(layout.spec(app)));
    APPS.subList(0, 5).forEach(this::tearDownIfAllowed);
    confirm("deploy-1", "deploy-2");
    consul.put(layout.spec("deploy-1"), "{}");
    guard.reevaluate();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardConfirm()).orElseThrow().text())
        .as("deploy-2 still confirmed, when and by whom kept")
        .isEqualTo("{\"apps\":[\"deploy-2\"],\"at\":\"2026-11-26T08:05:00Z\"}");

    consul.kv.delete(layout.spec("deploy-1"));
    tearDownIfAllowed("deploy-1");
    tearDownIfAllowed("deploy-2");
    assertThat(inventories()).as("deploy-1 held again").contains("deploy-1").hasSize(5);
    assertThat(guard.holdReason("deploy-1")).isPresent();
  }

  @Test
  void aConfirmationOfGcCandidatesStaysUntilThePassActsAndGoesWhenTheListingRecovers() {
    // A branch listing that lost five branches: the pass asks to delete five specs of six.
    var candidates = Set.copyOf(APPS.subList(0, 5));
    assertThat(guard.admit("gc", candidates, 6, "branches gone")).isEmpty();
    confirm("deploy-1");
    guard.reevaluate();
    assertThat(guard.admit("gc", candidates, 6, "branches gone"))
        .as("still confirmed after a check: the pass has not acted yet")
        .containsExactly("deploy-1");

    // The listing recovered before the pass deleted anything: nothing was deleted.
    assertThat(guard.admit("gc", Set.of(), 6, "branches gone")).isEmpty();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardConfirm())).isEmpty();
    assertThat(guard.admit("gc", candidates, 6, "branches gone")).isEmpty();
    assertThat(held()).isEqualTo(5);
  }

  @Test
  void aHeldRecordLeftByAnEarlierLeaderIsRemovedWhenNothingIsHeld() {
    consul.put(
        new ReviewAppKeys(layout).guardHeld(),
        "{\"reason\":\"old\",\"apps\":[\"x\"],\"since\":\"y\"}");
    guard.reevaluate();
    assertThat(consul.kv.get(new ReviewAppKeys(layout).guardHeld())).isEmpty();
  }

  @Test
  void limitsLetSmallDeletionsThroughAndHoldLargeOnes() {
    GuardLimits limits = GuardLimits.DEFAULTS;
    assertThat(limits.exceeded(1, 1)).as("1 of 1").isFalse();
    assertThat(limits.exceeded(2, 2)).as("2 of 2: at the floor").isFalse();
    assertThat(limits.exceeded(3, 4)).as("3 of 4: 75%").isTrue();
    assertThat(limits.exceeded(5, 100)).as("5%").isFalse();
    assertThat(limits.exceeded(11, 1000)).as("more than 10").isTrue();
  }

  private void tearDownIfAllowed(String app) {
    try {
      if (guard.holdReason(app).isEmpty()) {
        consul.kv.delete(layout.inventory(app));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** What `reviewctl guard confirm APP...` writes. */
  private void confirm(String... apps) {
    consul.put(
        new ReviewAppKeys(layout).guardConfirm(),
        "{\"apps\":[\"" + String.join("\",\"", apps) + "\"],\"at\":\"2026-11-26T08:05:00Z\"}");
  }

  private List<String> inventories() {
    return AppKeys.under(consul.kv, layout.inventories()).stream().sorted().toList();
  }

  private double held() {
    return registry.get("review_apps_deletion_guard_held").gauge().value();
  }
}
