package dev.reviewapps.controller.reviewapp.orphans;

import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.OrphanSource.Orphan;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.guard.AppKeys;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and removes what review apps left behind: resources tagged or named as an app's whose app
 * has neither a spec nor an inventory (a crash before the inventory existed, a teardown by hand, an
 * older controller). Run by the leader every {@code reviewapp.orphans.interval}; with {@code
 * reviewapp.orphans.dryRun} it only lists them.
 *
 * <p>Each resource kind says where to look ({@link ResourceKind#orphans}): RDS instances tagged
 * {@code review-app} ({@code ra-...}), Nomad jobs with Meta {@code review-app} and the app's job
 * IDs, shared databases commented {@code review-app=<name>} with the app's database name, route
 * keys whose host is an app's host, S3 folders under the assets prefix. Anything of an app with a
 * spec or an inventory belongs to the reconciler or the teardown and is never touched. A reconcile
 * records a resource in the inventory before creating it, so "no spec and no inventory" cannot
 * catch a resource being created; both are read again right before each removal, for a spec written
 * during the sweep.
 */
public final class OrphanSweep implements LeaderTask {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final List<OrphanSource> sources;
  private final boolean dryRun;
  private final Duration interval;
  private final MeterRegistry registry;
  private final DeletionGuard guard;
  private final Map<String, AtomicInteger> found = new ConcurrentHashMap<>();

  /**
   * @param kinds the resource kinds, each asked where its orphans are
   */
  public OrphanSweep(
      KeyValueStore kv,
      KeyLayout layout,
      List<ResourceKind> kinds,
      boolean dryRun,
      Duration interval,
      MeterRegistry registry,
      DeletionGuard guard) {
    this.guard = guard;
    this.kv = kv;
    this.layout = layout;
    this.dryRun = dryRun;
    this.interval = interval;
    this.registry = registry;
    this.sources = kinds.stream().flatMap(k -> k.orphans().stream()).toList();
    for (OrphanSource kind : sources) {
      AtomicInteger count = new AtomicInteger();
      found.put(kind.name(), count);
      Gauge.builder("review_apps_orphans", count, AtomicInteger::get)
          .description("Orphaned resources found by the last sweep (no spec, no inventory)")
          .tag("kind", kind.name())
          .strongReference(true)
          .register(registry);
    }
  }

  @Override
  public String name() {
    return "orphans";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void runOnce() {
    sweep();
  }

  /**
   * One sweep; returns the orphans found. They are removed unless in dry run, and only as far as
   * the mass-deletion guard admits their apps (as a GC pass is judged). When the specs and
   * inventories read empty while resources of review apps exist (a token that lost its rights reads
   * an empty prefix), nothing is removed at all.
   */
  public List<Orphan> sweep() {
    Set<String> known = AppKeys.under(kv, layout.specs());
    known.addAll(AppKeys.under(kv, layout.inventories()));
    List<Orphan> orphans = new ArrayList<>();
    Map<OrphanSource, List<Orphan>> byKind = new java.util.LinkedHashMap<>();
    for (OrphanSource kind : sources) {
      List<Orphan> ofKind = new ArrayList<>();
      try {
        kind.list()
            .get()
            .forEach(
                (id, app) -> {
                  if (!app.isEmpty()
                      && !app.contains("/")
                      && !known.contains(app)
                      && kind.named().test(id, app)) {
                    ofKind.add(new Orphan(kind.name(), id, app));
                  }
                });
      } catch (RuntimeException e) {
        // One system down (or not used at all, like RDS without AWS) must not stop the others.
        LOG.warn("orphan sweep: cannot list {}: {}", kind.name(), e.getMessage());
        continue;
      }
      found.get(kind.name()).set(ofKind.size());
      byKind.put(kind, ofKind);
      orphans.addAll(ofKind);
    }
    Set<String> apps = new TreeSet<>();
    orphans.forEach(o -> apps.add(o.app()));
    if (!dryRun && known.isEmpty() && !apps.isEmpty()) {
      LOG.warn(
          "orphan sweep: no spec and no inventory readable, yet resources of {} review apps exist;"
              + " removing nothing (a Consul token without read on specs/ and inventory/ looks"
              + " like this)",
          apps.size());
      return orphans;
    }
    Set<String> admitted =
        dryRun
            ? apps
            : guard.admit(
                "orphans",
                apps,
                known.size() + apps.size(),
                "resources of apps with neither spec nor inventory");
    byKind.forEach(
        (kind, ofKind) ->
            ofKind.stream()
                .filter(o -> admitted.contains(o.app()))
                .forEach(o -> removeOrKeep(kind, o)));
    return orphans;
  }

  private void removeOrKeep(OrphanSource kind, Orphan orphan) {
    if (dryRun) {
      LOG.info(
          "orphan {} {} of app {} (no spec, no inventory); dry run, kept",
          orphan.kind(),
          orphan.id(),
          orphan.app());
      return;
    }
    if (kv.get(layout.spec(orphan.app())).isPresent()
        || kv.get(layout.inventory(orphan.app())).isPresent()) {
      LOG.info(
          "{} {}: app {} appeared during the sweep; kept",
          orphan.kind(),
          orphan.id(),
          orphan.app());
      return;
    }
    try {
      kind.remove().accept(orphan);
    } catch (RuntimeException e) {
      LOG.warn("orphan sweep: cannot remove {} {}: {}", orphan.kind(), orphan.id(), e.getMessage());
      return;
    }
    LOG.info(
        "removed orphan {} {} of app {}: the app has no spec and no inventory",
        orphan.kind(),
        orphan.id(),
        orphan.app());
    Counter.builder("review_apps_orphans_removed_total")
        .description("Orphaned resources removed by the sweep")
        .tag("kind", orphan.kind())
        .register(registry)
        .increment();
  }
}
