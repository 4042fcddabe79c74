package dev.reviewapps.controller.reviewapp.gc;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.git.BranchListingException;
import dev.reviewapps.controller.git.BranchSource;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of specs, run by the leader every {@code reviewapp.gc.interval}: a spec whose
 * branch has been missing from the repository's branch listing for the grace period, or whose TTL
 * has run out ({@link Expiry}), is deleted with check-and-set on the ModifyIndex read (a spec
 * re-pushed in between stays), and the teardown follows. One pass is one decision of the {@link
 * DeletionGuard}: more deletions than its limits and the pass deletes none (but those an operator
 * confirmed).
 *
 * <p>A branch listing that fails deletes nothing because of branches (TTLs still run out). Without
 * a branch source (no repository configured) only TTLs are collected.
 */
public final class SpecGc implements LeaderTask {
  private static final Logger LOG = LoggerFactory.getLogger(SpecGc.class);

  /** The guard's name of this pass. */
  public static final String PASS = "gc";

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final Optional<BranchSource> branches;
  private final GcRecords records;
  private final Expiry expiry;
  private final DeletionGuard guard;
  private final Duration interval;
  private final Duration grace;
  private final Clock clock;
  private final MeterRegistry registry;

  /** Why a spec is to go. */
  private record Candidate(KvEntry spec, String reason, String label) {}

  public SpecGc(
      KeyValueStore kv,
      KeyLayout layout,
      Optional<BranchSource> branches,
      GcRecords records,
      Expiry expiry,
      DeletionGuard guard,
      Duration interval,
      Duration grace,
      Clock clock,
      MeterRegistry registry) {
    this.kv = kv;
    this.layout = layout;
    this.branches = branches;
    this.records = records;
    this.expiry = expiry;
    this.guard = guard;
    this.interval = interval;
    this.grace = grace;
    this.clock = clock;
    this.registry = registry;
    Counter.builder("review_apps_gc_branch_listing_failures_total")
        .description("Branch listings that failed; such a pass deletes nothing for branches")
        .register(registry);
  }

  @Override
  public String name() {
    return PASS;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void runOnce() {
    // Specs first: a spec written while the branches are listed has a newer ModifyIndex than the
    // one read here, and the check-and-set delete keeps it.
    List<KvEntry> specs = kv.list(layout.specs(), BlockingQuery.NONE).entries();
    Optional<Set<String>> listed = listBranches();
    Map<String, GcRecord> known = records.all();
    expiry.remember(known);
    Map<String, Candidate> candidates = new TreeMap<>();
    Set<String> specNames = new HashSet<>();
    Instant now = clock.instant();
    for (KvEntry spec : specs) {
      String app = spec.key().substring(layout.specs().length());
      if (app.isEmpty() || app.contains("/")) {
        continue;
      }
      specNames.add(app);
      Optional<ReviewApp> parsed =
          ReviewAppJson.parse(spec.value()) instanceof ParseResult.Parsed<ReviewApp> p
              ? Optional.of(p.value())
              : Optional.empty();
      Optional<Instant> expires =
          expiry.expiresAt(app, spec.modifyIndex(), parsed.flatMap(a -> a.spec().ttl()));
      if (expires.isPresent() && !now.isBefore(expires.get())) {
        candidates.put(app, new Candidate(spec, "its TTL ran out at " + expires.get(), "ttl"));
      }
      if (listed.isPresent() && parsed.isPresent()) {
        branchGone(
                app,
                parsed.get().spec().branch(),
                listed.get(),
                known.getOrDefault(app, GcRecord.EMPTY),
                now)
            .filter(since -> !candidates.containsKey(app))
            .ifPresent(
                since ->
                    candidates.put(
                        app,
                        new Candidate(
                            spec,
                            "its branch "
                                + parsed.get().spec().branch()
                                + " has been missing from "
                                + branches.orElseThrow().describe()
                                + " since "
                                + since,
                            "branch")));
      }
    }
    for (String app : known.keySet()) {
      // Read again: a spec written since the listing may have just recorded its first sighting.
      if (!specNames.contains(app) && kv.get(layout.spec(app)).isEmpty()) {
        records.delete(app);
        expiry.forget(app);
      }
    }
    Set<String> admitted =
        guard.admit(PASS, candidates.keySet(), specNames.size(), summary(candidates));
    for (String app : admitted) {
      delete(app, candidates.get(app));
    }
  }

  /**
   * Records whether the branch is missing; returns since when, once that is longer than the grace.
   */
  private Optional<Instant> branchGone(
      String app, String branch, Set<String> listed, GcRecord known, Instant now) {
    if (listed.contains(branch)) {
      if (known.branchMissingSince().isPresent()) {
        records.update(app, GcRecord::branchPresent);
        LOG.info("branch {} of app {} is back; its grace period is cancelled", branch, app);
      }
      return Optional.empty();
    }
    Instant since =
        known.branchMissingSince().isPresent()
            ? known.branchMissingSince().get()
            : records.update(app, r -> r.branchMissing(now)).branchMissingSince().orElse(now);
    return now.isBefore(since.plus(grace)) ? Optional.empty() : Optional.of(since);
  }

  private Optional<Set<String>> listBranches() {
    if (branches.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(branches.get().branches());
    } catch (BranchListingException e) {
      registry.counter("review_apps_gc_branch_listing_failures_total").increment();
      LOG.warn(
          "branch listing failed, no app is deleted for its branch this pass: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private void delete(String app, Candidate candidate) {
    if (kv.deleteIfUnchanged(candidate.spec().key(), candidate.spec().modifyIndex())) {
      LOG.info("deleted the spec of {}: {}; its teardown follows", app, candidate.reason());
      Counter.builder("review_apps_gc_deletions_total")
          .description("Specs deleted by garbage collection, by reason (branch, ttl)")
          .tag("reason", candidate.label())
          .register(registry)
          .increment();
    } else {
      LOG.info("kept the spec of {}: it changed since this pass read it", app);
    }
  }

  private static String summary(Map<String, Candidate> candidates) {
    long ttl = candidates.values().stream().filter(c -> c.label().equals("ttl")).count();
    return (candidates.size() - ttl) + " with their branch gone, " + ttl + " past their TTL";
  }
}
