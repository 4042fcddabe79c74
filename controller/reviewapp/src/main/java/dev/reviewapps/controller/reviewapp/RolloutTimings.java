package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.ConditionType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the seconds of a rollout go: for each app, when each step first ran for the spec being
 * rolled out and when it was first found ready. A rollout is one spec value (an invalid update that
 * leaves the last good spec running is no new rollout). Kept in memory: a controller that restarts
 * mid-rollout counts from its start, and one that finds everything ready at once (a restart of a
 * converged app) has seen no rollout, so status keeps the timings it had.
 *
 * <p>When a rollout that did work completes, each step's duration goes into the histogram {@code
 * review_apps_step_duration_seconds{step}}.
 */
final class RolloutTimings {

  private final Clock clock;
  private final Map<ConditionType, Timer> histograms = new EnumMap<>(ConditionType.class);
  private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();

  RolloutTimings(Clock clock, MeterRegistry registry) {
    this.clock = clock;
    for (ConditionType step : ConditionType.values()) {
      if (step != ConditionType.Valid) {
        histograms.put(
            step,
            Timer.builder("review_apps_step_duration_seconds")
                .description(
                    "How long each step of a completed rollout took, from its first run to ready")
                .tag("step", step.name())
                .publishPercentileHistogram()
                .register(registry));
      }
    }
  }

  /** {@code step} of {@code app} is about to run for {@code spec}. */
  void started(String app, ReviewAppSpec spec, ConditionType step) {
    Rollout rollout =
        rollouts.compute(app, (k, r) -> r == null || !r.spec.equals(spec) ? new Rollout(spec) : r);
    synchronized (rollout) {
      rollout.started.putIfAbsent(step, clock.instant());
    }
  }

  /** {@code step} ran: ready, or still waiting for the outside world. */
  void ran(String app, ConditionType step, boolean ready) {
    Rollout rollout = rollouts.get(app);
    if (rollout == null) {
      return;
    }
    synchronized (rollout) {
      if (!ready) {
        rollout.didWork = true;
      } else if (!rollout.took.containsKey(step) && rollout.started.containsKey(step)) {
        rollout.took.put(step, Duration.between(rollout.started.get(step), clock.instant()));
      }
    }
  }

  /** Every step ran ready: the rollout is complete, its durations go to the histogram once. */
  void completed(String app) {
    Rollout rollout = rollouts.get(app);
    if (rollout == null) {
      return;
    }
    synchronized (rollout) {
      if (rollout.didWork && !rollout.recorded) {
        rollout.recorded = true;
        rollout.took.forEach(
            (step, took) ->
                Optional.ofNullable(histograms.get(step)).ifPresent(t -> t.record(took)));
      }
    }
  }

  /** The durations to show, when this process saw the current rollout do work. */
  Optional<Map<ConditionType, Duration>> of(String app) {
    Rollout rollout = rollouts.get(app);
    if (rollout == null) {
      return Optional.empty();
    }
    synchronized (rollout) {
      return rollout.didWork ? Optional.of(Map.copyOf(rollout.took)) : Optional.empty();
    }
  }

  void forget(String app) {
    rollouts.remove(app);
  }

  private static final class Rollout {
    final ReviewAppSpec spec;
    final Map<ConditionType, Instant> started = new EnumMap<>(ConditionType.class);
    final Map<ConditionType, Duration> took = new EnumMap<>(ConditionType.class);
    boolean didWork;
    boolean recorded;

    Rollout(ReviewAppSpec spec) {
      this.spec = spec;
    }
  }
}
