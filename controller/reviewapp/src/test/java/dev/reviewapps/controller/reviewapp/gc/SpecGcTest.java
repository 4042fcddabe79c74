package dev.reviewapps.controller.reviewapp.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.engine.LeaderTasks;
import dev.reviewapps.controller.git.BranchListingException;
import dev.reviewapps.controller.git.BranchSource;
import dev.reviewapps.controller.git.GitLsRemoteBranchSource;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.testing.BareRepository;
import dev.reviewapps.controller.reviewapp.testing.LocalConsul;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec garbage collection against the devstack Consul and a real bare Git repository listed with
 * {@code git ls-remote}; time moves with a test clock.
 */
class SpecGcTest {
  private static final Duration GRACE = Duration.ofHours(1);

  @RegisterExtension static final LocalConsul consul = new LocalConsul();

  @TempDir Path dir;
  private BareRepository repository;
  private KeyLayout layout;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T08:00:00Z"));
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private int commits;

  @BeforeEach
  void repositoryWithThreeDeployBranches() throws Exception {
    layout = consul.freshLayout();
    repository = BareRepository.create(dir, "deploy-a", "deploy-b", "deploy-c");
    for (String branch : List.of("deploy-a", "deploy-b", "deploy-c")) {
      putSpec(branch, branch, Optional.empty());
    }
  }

  @Test
  void aBranchDeletedInTheRepositoryLosesItsSpecAfterTheGraceAndNotBefore() throws Exception {
    SpecGc gc = gc(lsRemote(), GuardLimits.DEFAULTS);
    repository.delete("deploy-a");

    gc.runOnce();
    assertThat(specs()).as("within the grace").contains("deploy-a");
    clock.advance(GRACE.minusMinutes(1));
    gc.runOnce();
    assertThat(specs()).as("still within the grace").contains("deploy-a");

    clock.advance(Duration.ofMinutes(1));
    gc.runOnce();
    assertThat(specs()).containsExactlyInAnyOrder("deploy-b", "deploy-c");
    assertThat(registry.counter("review_apps_gc_deletions_total", "reason", "branch").count())
        .isEqualTo(1);
  }

  @Test
  void onTheLeadersScheduleTheSpecOfADeletedBranchGoesWithinOneGcPeriod() throws Exception {
    Duration period = Duration.ofMillis(500);
    GcRecords records = new GcRecords(consul.kv, layout);
    SpecGc gc =
        new SpecGc(
            consul.kv,
            layout,
            Optional.of(lsRemote()),
            records,
            new Expiry(records, Optional.empty(), clock),
            guard(GuardLimits.DEFAULTS),
            period,
            Duration.ZERO,
            clock,
            registry);
    LeaderTasks leader = new LeaderTasks(List.of(gc), registry);
    leader.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> gcRuns() >= 1);
      repository.delete("deploy-b");
      double runsBefore = gcRuns();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !specs().contains("deploy-b") || gcRuns() >= runsBefore + 2);
      assertThat(specs()).containsExactlyInAnyOrder("deploy-a", "deploy-c");
    } finally {
      leader.stop();
    }
  }

  private double gcRuns() {
    return registry.find("review_apps_leader_task_runs_total").tag("task", "gc").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void aRestartedControllerKeepsCountingTheGraceFromTheFirstMissingListing() throws Exception {
    repository.delete("deploy-a");
    gc(lsRemote(), GuardLimits.DEFAULTS).runOnce();
    clock.advance(GRACE);

    // A new leader: new objects, only Consul remembers.
    gc(lsRemote(), GuardLimits.DEFAULTS).runOnce();
    assertThat(specs()).doesNotContain("deploy-a");
  }

  @Test
  void aBranchPushedAgainWithinTheGraceCancelsTheDeletion() throws Exception {
    SpecGc gc = gc(lsRemote(), GuardLimits.DEFAULTS);
    repository.delete("deploy-a");
    gc.runOnce();
    clock.advance(GRACE.dividedBy(2));
    repository.push("deploy-a");
    gc.runOnce();

    clock.advance(GRACE);
    gc.runOnce();
    assertThat(specs()).contains("deploy-a");
    assertThat(new GcRecords(consul.kv, layout).read("deploy-a").branchMissingSince()).isEmpty();
  }

  @Test
  void aFailingListingDeletesNothing() throws Exception {
    BranchSource missing =
        new GitLsRemoteBranchSource(dir.resolve("gone.git").toString(), Duration.ofSeconds(30));
    SpecGc gc = gc(missing, GuardLimits.DEFAULTS);
    gc.runOnce();
    clock.advance(GRACE.multipliedBy(10));
    gc.runOnce();
    assertThat(specs()).hasSize(3);
    assertThat(registry.counter("review_apps_gc_branch_listing_failures_total").count())
        .isEqualTo(2);
  }

  @Test
  void anEmptyListingTripsTheGuardUntilAnOperatorConfirms() throws Exception {
    for (String branch : List.of("deploy-a", "deploy-b", "deploy-c")) {
      repository.delete(branch);
    }
    DeletionGuard guard = guard(new GuardLimits(10, 0.5, 1));
    SpecGc gc = gc(lsRemote(), guard);
    gc.runOnce();
    clock.advance(GRACE);
    gc.runOnce();

    assertThat(specs()).as("nothing deleted").hasSize(3);
    assertThat(registry.get("review_apps_deletion_guard_held").gauge().value()).isEqualTo(3);
    String held = consul.kv.get(new ReviewAppKeys(layout).guardHeld()).orElseThrow().text();
    assertThat(held).contains("\"deploy-a\"", "\"deploy-c\"", "branch gone", "\"since\"");

    consul.put(
        new ReviewAppKeys(layout).guardConfirm(),
        "{\"apps\":[\"deploy-a\",\"deploy-b\"],\"at\":\"x\"}");
    gc.runOnce();
    assertThat(specs()).containsExactly("deploy-c");
    assertThat(registry.get("review_apps_deletion_guard_held").gauge().value()).isEqualTo(1);
  }

  @Test
  void aSpecRewrittenWhileTheBranchesAreListedIsKept() throws Exception {
    repository.delete("deploy-a");
    AtomicBoolean rewriteDuringListing = new AtomicBoolean();
    BranchSource rewritingMeanwhile =
        new BranchSource() {
          @Override
          public Set<String> branches() throws BranchListingException {
            if (rewriteDuringListing.getAndSet(false)) {
              putSpec("deploy-a", "deploy-a", Optional.empty());
            }
            return lsRemote().branches();
          }

          @Override
          public String describe() {
            return "test";
          }
        };
    SpecGc gc = gc(rewritingMeanwhile, GuardLimits.DEFAULTS);
    gc.runOnce();
    clock.advance(GRACE);
    rewriteDuringListing.set(true);
    gc.runOnce();
    assertThat(specs()).as("re-pushed during the pass").contains("deploy-a");
    gc.runOnce();
    assertThat(specs()).as("next pass").doesNotContain("deploy-a");
  }

  @Test
  void aSpecPastItsTtlIsDeletedAndARestartDoesNotExtendIt() {
    putSpec("deploy-short", "deploy-a", Optional.of("30m"));
    SpecGc gc = gc(lsRemote(), GuardLimits.DEFAULTS);
    gc.runOnce();
    Expiry expiry = new Expiry(new GcRecords(consul.kv, layout), Optional.empty(), clock);
    long index = consul.kv.get(layout.spec("deploy-short")).orElseThrow().modifyIndex();
    assertThat(expiry.expiresAt("deploy-short", index, dev.reviewapps.model.spec.Ttl.parse("30m")))
        .contains(clock.instant().plus(Duration.ofMinutes(30)));

    clock.advance(Duration.ofMinutes(29));
    gc(lsRemote(), GuardLimits.DEFAULTS).runOnce();
    assertThat(specs()).contains("deploy-short");
    clock.advance(Duration.ofMinutes(1));
    gc(lsRemote(), GuardLimits.DEFAULTS).runOnce();
    assertThat(specs()).doesNotContain("deploy-short").contains("deploy-a");
    assertThat(registry.counter("review_apps_gc_deletions_total", "reason", "ttl").count())
        .isEqualTo(1);
  }

  @Test
  void anUpdatedSpecStartsItsTtlAgainAndTheDefaultTtlAppliesToSpecsWithoutOne() {
    GcRecords records = new GcRecords(consul.kv, layout);
    SpecGc gc =
        new SpecGc(
            consul.kv,
            layout,
            Optional.empty(),
            records,
            new Expiry(records, Optional.of(Duration.ofHours(2)), clock),
            guard(GuardLimits.DEFAULTS),
            Duration.ofMinutes(10),
            GRACE,
            clock,
            registry);
    gc.runOnce();
    clock.advance(Duration.ofMinutes(90));
    putSpec("deploy-b", "deploy-b", Optional.empty());
    gc.runOnce();
    clock.advance(Duration.ofMinutes(30));
    gc.runOnce();
    assertThat(specs()).as("2 h after the first sighting").containsExactly("deploy-b");
  }

  private SpecGc gc(BranchSource source, GuardLimits limits) {
    return gc(source, guard(limits));
  }

  private SpecGc gc(BranchSource source, DeletionGuard guard) {
    GcRecords records = new GcRecords(consul.kv, layout);
    return new SpecGc(
        consul.kv,
        layout,
        Optional.of(source),
        records,
        new Expiry(records, Optional.empty(), clock),
        guard,
        Duration.ofMinutes(10),
        GRACE,
        clock,
        registry);
  }

  private DeletionGuard guard(GuardLimits limits) {
    return new DeletionGuard(consul.kv, layout, limits, registry, clock);
  }

  private BranchSource lsRemote() {
    return new GitLsRemoteBranchSource(repository.path().toString(), Duration.ofSeconds(30));
  }

  private List<String> specs() {
    return consul.kv.keys(layout.specs()).stream()
        .map(k -> k.substring(layout.specs().length()))
        .sorted()
        .toList();
  }

  /** Writes a spec; each write has a commit of its own, so Consul sees a new version. */
  private void putSpec(String name, String branch, Optional<String> ttl) {
    commits++;
    consul.put(
        layout.spec(name),
        "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\",\"metadata\":{\"name\":\""
            + name
            + "\"},\"spec\":{\"branch\":\""
            + branch
            + "\",\"commit\":\"c0ffee"
            + commits
            + "\",\"image\":\"shop/web:1\",\"database\":{\"mode\":\"shared\"},"
            + "\"processes\":{\"web\":{\"command\":\"run\"}}"
            + ttl.map(t -> ",\"ttl\":\"" + t + "\"").orElse("")
            + "}}");
  }
}
