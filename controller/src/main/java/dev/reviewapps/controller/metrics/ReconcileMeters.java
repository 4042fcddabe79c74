package dev.reviewapps.controller.metrics;

import dev.reviewapps.controller.engine.ReconcileMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ReconcileMetrics} as controller-runtime exports them: {@code
 * controller_runtime_reconcile_total{controller,result}}, {@code
 * controller_runtime_reconcile_errors_total}, {@code
 * controller_runtime_terminal_reconcile_errors_total}, {@code
 * controller_runtime_reconcile_time_seconds}, {@code controller_runtime_active_workers} and {@code
 * controller_runtime_max_concurrent_reconciles}.
 */
public final class ReconcileMeters implements ReconcileMetrics {
  private final Map<Outcome, Counter> totals = new EnumMap<>(Outcome.class);
  private final Counter errors;
  private final Counter terminalErrors;
  private final Counter ignoredKeys;
  private final Timer time;
  private final AtomicInteger active = new AtomicInteger();

  public ReconcileMeters(MeterRegistry registry, String controller, int workers) {
    for (Outcome outcome : Outcome.values()) {
      totals.put(
          outcome,
          Counter.builder("controller_runtime_reconcile")
              .description("Total number of reconciliations per controller")
              .tag("controller", controller)
              .tag("result", outcome.label())
              .register(registry));
    }
    // Prometheus shows result="requeue" as well, always 0 here: a Result has no bare "requeue".
    Counter.builder("controller_runtime_reconcile")
        .description("Total number of reconciliations per controller")
        .tag("controller", controller)
        .tag("result", "requeue")
        .register(registry);
    errors =
        Counter.builder("controller_runtime_reconcile_errors")
            .description("Total number of reconciliation errors per controller")
            .tag("controller", controller)
            .register(registry);
    terminalErrors =
        Counter.builder("controller_runtime_terminal_reconcile_errors")
            .description("Total number of terminal reconciliation errors per controller")
            .tag("controller", controller)
            .register(registry);
    ignoredKeys =
        Counter.builder("controller_spec_keys_ignored")
            .description(
                "Keys under the watched prefixes that name nothing the reconciler accepts, so were"
                    + " never queued")
            .tag("controller", controller)
            .register(registry);
    time =
        Timer.builder("controller_runtime_reconcile_time")
            .description("Length of time per reconciliation per controller")
            .tag("controller", controller)
            .serviceLevelObjectives(Buckets.RECONCILE)
            .register(registry);
    Gauge.builder("controller_runtime_active_workers", active, AtomicInteger::get)
        .description("Number of currently used workers per controller")
        .tag("controller", controller)
        .strongReference(true)
        .register(registry);
    Gauge.builder("controller_runtime_max_concurrent_reconciles", () -> workers)
        .description("Maximum number of concurrent reconciles per controller")
        .tag("controller", controller)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void reconciled(Outcome outcome, Duration took) {
    totals.get(outcome).increment();
    if (outcome == Outcome.ERROR || outcome == Outcome.TERMINAL_ERROR) {
      errors.increment();
    }
    if (outcome == Outcome.TERMINAL_ERROR) {
      terminalErrors.increment();
    }
    time.record(took);
  }

  @Override
  public void activeWorkers(int delta) {
    active.addAndGet(delta);
  }

  @Override
  public void ignoredKey() {
    ignoredKeys.increment();
  }
}
