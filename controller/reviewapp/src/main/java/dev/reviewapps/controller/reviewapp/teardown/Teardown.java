package dev.reviewapps.controller.reviewapp.teardown;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.inventory.TeardownProgress;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.status.StatusWriter;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tears an app down from its inventory once its spec key is gone: the resource kinds' {@code
 * delete} in the reverse of the order the reconciler ensures them (route first, so no request
 * reaches a dying app; then worker, web, seed, migrate, the predestroy command, Redis with the
 * service job, capacity, the database and its credentials, the assets), then the status, and the
 * inventory record last.
 *
 * <p>Every kind removes what it deleted from the inventory (check-and-set) at once, so an
 * interrupted teardown resumes where it stopped, also in a freshly started controller. A kind that
 * waits for the outside world returns "requeue after"; one that fails throws and is retried by the
 * engine with backoff, and no later kind runs before it has succeeded. The inventory is deleted
 * only when no kind left anything in it: a resource no kind deletes is an error, never a leak. The
 * {@link TeardownGate} is asked once, before anything is deleted; that the teardown has begun is
 * recorded in the inventory, so it is never asked again for this teardown.
 */
public final class Teardown implements ReviewAppReconciler.AbsentSpec {

  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  /** The stages after the kinds': the status, then the inventory record. */
  public static final String STATUS = "status";

  public static final String INVENTORY = "inventory";

  /** Told after each stage has completed; tests use it to crash a teardown between stages. */
  @FunctionalInterface
  public interface StageObserver {
    void afterStage(String app, String stage);

    StageObserver NONE = (app, stage) -> {};
  }

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final ReviewAppKeys keys;
  private final InventoryStore inventories;
  private final StatusWriter statuses;
  private final List<ResourceKind> kinds;
  private final TeardownSettings settings;
  private final TeardownGate gate;
  private final Clock clock;
  private final StageObserver observer;
  private final Counter completed;
  private final Counter held;
  private final Counter failed;
  private final Timer duration;

  /**
   * @param kinds the resource kinds in the order the reconciler ensures them; deleted in reverse
   */
  public Teardown(
      KeyValueStore kv,
      KeyLayout layout,
      List<ResourceKind> kinds,
      TeardownSettings settings,
      TeardownGate gate,
      MeterRegistry registry,
      Clock clock,
      StageObserver observer) {
    List<ResourceKind> reversed = new ArrayList<>(kinds);
    Collections.reverse(reversed);
    this.kinds = List.copyOf(reversed);
    this.kv = kv;
    this.layout = layout;
    this.keys = new ReviewAppKeys(layout);
    this.inventories = new InventoryStore(kv, layout);
    this.statuses = new StatusWriter(kv, layout);
    this.settings = settings;
    this.gate = gate;
    this.clock = clock;
    this.observer = observer;
    this.completed = teardowns(registry, "completed");
    this.held = teardowns(registry, "held");
    this.failed = teardowns(registry, "failed");
    this.duration =
        Timer.builder("review_apps_teardown_duration")
            .description(
                "Time from the start of a teardown (once the gate let it begin) to its end")
            .publishPercentileHistogram()
            .register(registry);
  }

  private static Counter teardowns(MeterRegistry registry, String result) {
    return Counter.builder("review_apps_teardowns")
        .description(
            "Teardown passes by result: completed (nothing left), held (by the gate), failed"
                + " (a stage threw; retried with backoff)")
        .tag("result", result)
        .register(registry);
  }

  @Override
  public Result reconcile(String app) throws Exception {
    InventoryStore.Versioned read = inventories.read(app);
    if (read.index() == 0) {
      // Nothing was ever created (an invalid spec, say) or the teardown is finished: only a
      // status can be left over, or a wake, sleep or activity key written for a name that has no
      // app (the router and reviewctl write them; their watches bring the name here).
      if (java.util.stream.Stream.of(
              layout.status(app),
              keys.phase(app),
              keys.wake(app),
              keys.sleep(app),
              keys.activity(app))
          .anyMatch(key -> kv.get(key).isPresent())) {
        statuses.delete(app);
        LOG.info("app {} had a status but no inventory: status deleted", app);
      }
      return Result.done();
    }
    // What is being deleted right now, for the status when it fails: a kind's own words once it
    // has said them, else its name.
    AtomicReference<String> doing = new AtomicReference<>("");
    Dismantling run =
        new Dismantling(
            app,
            inventories,
            read,
            what -> {
              doing.set(what);
              deleting(app, what);
            });
    if (read.inventory().teardown().isEmpty()) {
      Optional<String> reason = gate.holdReason(app);
      if (reason.isPresent()) {
        held.increment();
        writeHeld(app, reason.get());
        LOG.info("teardown of {} held: {}", app, reason.get());
        return Result.requeueAfter(settings.holdRecheck());
      }
      run.update(i -> i.withTeardown(TeardownProgress.begun(clock.instant())));
      LOG.info(
          "teardown of {} begins: {} resources recorded", app, read.inventory().resources().size());
    }
    try {
      for (ResourceKind kind : kinds) {
        doing.set("deleting the " + kind.name());
        Optional<Duration> waitFor = kind.delete(run);
        if (waitFor.isPresent()) {
          return Result.requeueAfter(waitFor.get());
        }
        observer.afterStage(app, kind.name());
      }
      if (!run.inventory().resources().isEmpty()) {
        // Recorded by a kind that is no longer in the list: kept (with the inventory that names
        // it) rather than forgotten, until that kind is back or someone removes it.
        doing.set("checking that nothing is left");
        throw new IllegalStateException(
            "no resource kind deleted "
                + run.inventory().resources().stream()
                    .map(r -> r.kind() + " " + r.id())
                    .collect(Collectors.joining(", "))
                + "; the inventory is kept so that nothing leaks");
      }
      doing.set(STATUS);
      statuses.delete(app);
      LOG.info("teardown of {}: status and phase key deleted", app);
      observer.afterStage(app, STATUS);
      doing.set(INVENTORY);
      inventories.delete(app);
      LOG.info("teardown of {}: inventory deleted", app);
      observer.afterStage(app, INVENTORY);
    } catch (Exception e) {
      failed.increment();
      recordFailure(app, doing.get(), e);
      throw e;
    }
    completed.increment();
    Duration took = Duration.between(run.since(), clock.instant());
    duration.record(took);
    LOG.info("teardown of {} complete in {} ms: nothing of it is left", app, took.toMillis());
    return Result.done();
  }

  /** Status says the app is being deleted and what is under way; the URL no longer serves. */
  private void deleting(String app, String what) {
    statuses.update(
        app,
        s ->
            s.withPhase(Phase.Deleting)
                .withUrl(Optional.empty())
                .withMessage(Optional.of(what))
                .withLastError(Optional.empty()));
  }

  /**
   * A held teardown: the phase stays, {@code lastError} says why nothing is deleted. Not {@code
   * message}: the reconciler recomputes {@code lastError} on every run, so the reason goes away by
   * itself when the spec comes back before the teardown began, while a message would stay.
   */
  private void writeHeld(String app, String reason) {
    statuses.update(app, s -> s.withLastError(Optional.of("teardown held: " + reason)));
  }

  /**
   * The failure goes into status (our providers' messages carry no secret), unless the status is
   * already deleted; a failure to write it must not hide the first one.
   */
  private void recordFailure(String app, String doing, Exception e) {
    LOG.warn("teardown of {}: {} failed, will retry: {}", app, doing, e.getMessage());
    if (doing.equals(STATUS) || doing.equals(INVENTORY)) {
      return;
    }
    try {
      statuses.update(
          app,
          s ->
              s.withPhase(Phase.Deleting)
                  .withMessage(Optional.of(doing))
                  .withLastError(Optional.of(doing + ": " + e.getMessage())));
    } catch (RuntimeException statusFailure) {
      e.addSuppressed(statusFailure);
    }
  }
}
