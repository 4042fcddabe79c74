package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.CostLedger;
import dev.reviewapps.controller.reviewapp.cost.CostModel;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.model.status.Cost;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each app's cost, worked out at the end of every reconcile from what it asks of the cluster (the
 * allocations its spec asks for: Redis only while it sleeps) and its database. The ledger in the
 * inventory is rewritten only when the rate changes; status gets the rate and the dollars to date,
 * and Prometheus {@code review_apps_cost_dollars_per_hour{app}} and {@code
 * review_apps_cost_dollars_total{app}}.
 */
final class AppCosts {
  // Rates closer than this are the same rate: no ledger write for floating-point noise.
  private static final double SAME_RATE = 1e-9;

  private final CostModel model;
  private final ReviewAppJobs jobs;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<String, CostLedger> ledgers = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  AppCosts(CostModel model, ReviewAppJobs jobs, Clock clock, MeterRegistry registry) {
    this.model = model;
    this.jobs = jobs;
    this.clock = clock;
    this.registry = registry;
  }

  /** The run's app's cost now; its ledger is brought up to date (written when the rate changed). */
  Cost account(Reconciliation run) {
    double perHour =
        model.perHour(jobs.allocations(run.spec(), run.asleep()), run.spec().database());
    Instant now = clock.instant();
    CostLedger ledger = run.inventory().cost().orElseGet(() -> new CostLedger(0, now, Double.NaN));
    if (!(Math.abs(ledger.perHour() - perHour) < SAME_RATE)) {
      CostLedger next =
          Double.isNaN(ledger.perHour())
              ? new CostLedger(0, now, perHour)
              : ledger.rate(perHour, now);
      try {
        ledger = run.updateInventory(i -> i.withCost(next)).cost().orElseThrow();
      } catch (RuntimeException e) {
        // Consul refused the write (a conflict, an outage): the next reconcile writes it; the
        // rate is right meanwhile, the dollars to date catch up then.
        ledger = next;
      }
    }
    ledgers.put(run.app(), ledger);
    meters.computeIfAbsent(run.app(), this::register);
    return new Cost(perHour, ledger.toDate(now));
  }

  private List<Meter> register(String app) {
    return List.of(
        Gauge.builder(
                "review_apps_cost_dollars_per_hour",
                ledgers,
                l -> l.containsKey(app) ? l.get(app).perHour() : 0)
            .description("What the app costs per hour at its current size (awake or asleep)")
            .tag("app", app)
            .register(registry),
        FunctionCounter.builder(
                "review_apps_cost_dollars",
                ledgers,
                l -> l.containsKey(app) ? l.get(app).toDate(clock.instant()) : 0)
            .description("What the app has cost since it was created, by the price table")
            .tag("app", app)
            .register(registry));
  }

  /** Forgets an app whose spec is gone: its series end. */
  void forget(String app) {
    ledgers.remove(app);
    List<Meter> gone = meters.remove(app);
    if (gone != null) {
      gone.forEach(registry::remove);
    }
  }
}
