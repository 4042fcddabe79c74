package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.client.UnixSeconds;
import dev.reviewapps.client.inventory.SleepState;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.spec.SleepAfter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sleep on idle, as the reconciler applies it to one run. An app sleeps when it was Ready and had
 * no request through the router (the router's {@code activity/<name>}) and no new spec for its
 * {@code sleepAfter}, or when {@code reviewctl sleep} asks ({@code sleep/<name>}). It wakes on
 * {@code wake/<name>} (the router on a request, or {@code reviewctl wake}) and on a new spec. The
 * state lives in the inventory; this class only reads the requests, changes that state and counts
 * wakes.
 */
final class SleepCycle {

  private static final Logger LOG = LoggerFactory.getLogger(SleepCycle.class);

  // A wake request older than this is not trusted as the start of the wake (a clock far off, or a
  // request left from a crash): its duration is counted from when the controller saw it.
  private static final Duration STALE_REQUEST = Duration.ofMinutes(5);

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final ReviewAppKeys keys;
  private final Optional<Duration> defaultAfter;
  private final Clock clock;
  private final Consumer<String> woke;
  private final Timer wakeDuration;
  private final Counter wakes;

  /**
   * @param woke told when an app wakes (its TTL counts from the wake)
   */
  SleepCycle(
      KeyValueStore kv,
      KeyLayout layout,
      Optional<Duration> defaultAfter,
      Clock clock,
      Consumer<String> woke,
      MeterRegistry registry) {
    this.kv = kv;
    this.layout = layout;
    this.keys = new ReviewAppKeys(layout);
    this.defaultAfter = defaultAfter;
    this.clock = clock;
    this.woke = woke;
    this.wakeDuration =
        Timer.builder("review_apps_wake_duration_seconds")
            .description("Time from a wake request to the app Ready again")
            .publishPercentileHistogram()
            .register(registry);
    this.wakes =
        Counter.builder("review_apps_wakes")
            .description("Sleeping apps woken (by a request through the router or reviewctl)")
            .register(registry);
  }

  /**
   * Before the steps: acts on wake and sleep requests (the newer one wins when both are there) and
   * on a changed spec, which counts as activity and wakes a sleeping app. Requests are deleted once
   * the inventory says what they asked (check-and-set: one written meanwhile stays for the next
   * run).
   */
  void beforeSteps(Reconciliation run, boolean specChanged) {
    String app = run.app();
    Instant now = clock.instant();
    Optional<KvEntry> wake = kv.get(keys.wake(app));
    Optional<KvEntry> sleep = kv.get(keys.sleep(app));
    boolean sleepAsked =
        sleep.isPresent()
            && (wake.isEmpty() || sleep.get().modifyIndex() > wake.get().modifyIndex());
    SleepState before = run.inventory().sleep();
    SleepState next = before;
    if (specChanged || next.activeSince().isEmpty()) {
      next = next.active(now);
    }
    if (next.asleep() && ((wake.isPresent() && !sleepAsked) || specChanged)) {
      Instant asked =
          wake.flatMap(w -> UnixSeconds.parse(w.value()))
              .filter(t -> !t.isAfter(now) && t.isAfter(now.minus(STALE_REQUEST)))
              .orElse(now);
      next = next.wake(asked, now);
      LOG.info("app {} wakes: {}", app, specChanged ? "its spec changed" : "a wake was requested");
      woke.accept(app);
    } else if (!next.asleep() && sleepAsked) {
      next = next.fallAsleep(now);
      LOG.info("app {} goes to sleep: reviewctl sleep", app);
    }
    if (!next.equals(before)) {
      SleepState changed = next;
      run.updateInventory(i -> i.withSleep(changed));
    }
    wake.ifPresent(w -> kv.deleteIfUnchanged(keys.wake(app), w.modifyIndex()));
    sleep.ifPresent(s -> kv.deleteIfUnchanged(keys.sleep(app), s.modifyIndex()));
  }

  /**
   * After a run that left the app Ready: records a wake that has finished, then puts the app to
   * sleep if it has been idle for its {@code sleepAfter}.
   *
   * @return when to look again: at once if it just fell asleep (the steps scale it down), else no
   *     later than when it would become idle
   */
  Optional<Duration> afterReady(Reconciliation run, Duration readyRecheck) {
    Instant now = clock.instant();
    SleepState state = run.inventory().sleep();
    if (state.wakeRequested().isPresent()) {
      Duration took = Duration.between(state.wakeRequested().get(), now);
      wakeDuration.record(took);
      wakes.increment();
      LOG.info("app {} is awake again after {} ms", run.app(), took.toMillis());
      state = state.woken();
      SleepState woken = state;
      run.updateInventory(i -> i.withSleep(woken));
    }
    Optional<Duration> after = idleLimit(run);
    if (after.isEmpty()) {
      return Optional.empty();
    }
    Duration idle = state.idleFor(lastRequest(run.app()), now);
    if (idle.compareTo(after.get()) < 0) {
      Duration left = after.get().minus(idle);
      return Optional.of(left.compareTo(readyRecheck) < 0 ? left : readyRecheck);
    }
    SleepState asleep = state.fallAsleep(now);
    run.updateInventory(i -> i.withSleep(asleep));
    LOG.info("app {} goes to sleep: no request for {} s", run.app(), idle.toSeconds());
    return Optional.of(Duration.ZERO);
  }

  /** The app's idle limit: its spec's {@code sleepAfter}, else the configured default. */
  Optional<Duration> idleLimit(Reconciliation run) {
    return run.spec().sleepAfter().map(SleepAfter::duration).orElse(defaultAfter);
  }

  /** When the router last saw a request for the app, if it ever reported one. */
  Optional<Instant> lastRequest(String app) {
    return kv.get(keys.activity(app)).flatMap(e -> UnixSeconds.parse(e.value()));
  }

  /** The condition {@code Awake}: what the app does and when it was last used. */
  StepOutcome awake(Reconciliation run) {
    SleepState state = run.inventory().sleep();
    String last =
        lastRequest(run.app())
            .map(t -> "last request through the router " + t)
            .orElse("no request through the router reported yet");
    if (state.asleep()) {
      return new StepOutcome.Degraded(
          "Sleeping",
          "asleep since "
              + state.asleepSince().get()
              + "; "
              + last
              + "; a request through the router or reviewctl wake wakes it");
    }
    String limit =
        idleLimit(run).map(d -> "; sleeps after " + d.toSeconds() + " s idle").orElse("");
    return new StepOutcome.Ready(
        state.wakeRequested().isPresent() ? "Waking" : "Awake", last + limit);
  }
}
