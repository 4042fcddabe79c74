package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.reviewapp.naming.ShortHash;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.status.StatusWriter;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.Ttl;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Cost;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one review app: reads its spec, validates it, and ensures its resource kinds in order
 * (database, capacity, Redis, migrate, seed, web, worker, route; see {@link ResourceKind}), each
 * setting its condition. A step that waits for the outside world stops the run and asks to be
 * requeued; nothing here ever sleeps.
 *
 * <p>An invalid spec is a terminal error listed in status. When an earlier spec was valid (it is
 * kept in the inventory) the app goes on running that one with its phase unchanged, {@code
 * Valid=False} lists the violations, and the reconcile is no error at all.
 */
public final class ReviewAppReconciler implements Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewAppReconciler.class);

  /**
   * What happens when the spec key is gone (the teardown), and also when a spec comes back while
   * the inventory says its teardown is under way: it is finished before the app is provisioned
   * again.
   */
  @FunctionalInterface
  public interface AbsentSpec {
    Result reconcile(String app) throws Exception;

    /** Does nothing: without a teardown, a deleted spec leaves the app as it is. */
    AbsentSpec NOTHING = app -> Result.done();
  }

  /**
   * Told after each step has run and its inventory is written; tests use it to crash a reconcile
   * between steps.
   */
  @FunctionalInterface
  public interface StepObserver {
    void afterStep(String app, ConditionType step);

    StepObserver NONE = (app, step) -> {};
  }

  /**
   * Why a new app waits: {@code reason} for its {@code CapacityReady} condition ({@code
   * QuotaExceeded}, {@code BudgetExceeded}) and a message with the numbers.
   */
  public record QueueWait(String reason, String message) {}

  /** The quota and the TTL, asked on every reconcile. The defaults: no quota, no expiry. */
  public interface Policies {
    /**
     * Why an app that has no inventory yet must wait before anything is created for it (the quota
     * is full), or empty when it may start.
     */
    default Optional<QueueWait> quotaWait(String app) {
      return Optional.empty();
    }

    /** How long a queued app waits before it asks again. */
    default Duration queueRecheck() {
      return Duration.ofSeconds(15);
    }

    /** When the spec version {@code specIndex} expires (its TTL), for status; empty: never. */
    default Optional<Instant> expiresAt(String app, long specIndex, Optional<Ttl> ttl) {
      return Optional.empty();
    }

    /** Told when a sleeping app wakes: a wake counts as activity for its TTL. */
    default void woke(String app) {}

    /**
     * Told when the phase of an app with a valid spec changes (GitHub deployments and the PR
     * comment); {@code timeToReady} is there when it became Ready for a spec this controller saw
     * written. Must not block.
     */
    default void phaseChanged(
        String app, ReviewAppSpec spec, ReviewAppStatus status, Optional<Duration> timeToReady) {}

    /** Told when an app is gone: its teardown finished (or nothing was left). Must not block. */
    default void gone(String app) {}

    Policies NONE = new Policies() {};
  }

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final InventoryStore inventories;
  private final StatusWriter statuses;
  // The kinds in order: each is one step of a reconcile.
  private final List<ResourceKind> steps;
  // The same for an app that sleeps: the route goes before web and worker stop, so that
  // requests meanwhile wake it instead of reaching a process that is shutting down.
  private final List<ResourceKind> sleepingSteps;
  private final SleepCycle sleep;
  private final AppCosts costs;
  private final ReviewAppSettings settings;
  private final DataSources dataSources;
  private final Clock clock;
  private final AbsentSpec absentSpec;
  private final StepObserver observer;
  private final Policies policies;
  private final Timer timeToReady;
  private final RolloutTimings timings;
  private final Map<String, SeenSpec> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  // The phase the stored status had before this controller's last write, per app: a phase change
  // is reported to GitHub once, not again for every app when the controller restarts.
  private final Map<String, Phase> storedBefore = new ConcurrentHashMap<>();
  private final Map<String, Instant> notReadySince = new ConcurrentHashMap<>();
  // The spec index of the last invalid update logged per app: one WARN line per rejected version.
  private final Map<String, Long> invalidUpdateLogged = new ConcurrentHashMap<>();

  /**
   * @param kinds the resource kinds in order ({@code ResourceKindsModule}), ensured in that order
   * @param policies the quota and TTLs ({@link Policies#NONE}: no quota, nothing expires)
   */
  public ReviewAppReconciler(
      KeyValueStore kv,
      KeyLayout layout,
      List<ResourceKind> kinds,
      ReviewAppJobs jobs,
      DatabaseSettings databases,
      ReviewAppSettings settings,
      MeterRegistry registry,
      Clock clock,
      AbsentSpec absentSpec,
      StepObserver observer,
      Policies policies) {
    this.policies = policies;
    this.kv = kv;
    this.layout = layout;
    this.inventories = new InventoryStore(kv, layout);
    this.statuses = new StatusWriter(kv, layout);
    this.settings = settings;
    this.dataSources = databases.dataSources();
    this.clock = clock;
    this.absentSpec = absentSpec;
    this.observer = observer;
    this.steps = List.copyOf(kinds);
    List<ResourceKind> routeFirst = new ArrayList<>(steps);
    Optional<ResourceKind> route = kindOf(ConditionType.Routed);
    Optional<ResourceKind> web = kindOf(ConditionType.WebReady);
    if (route.isPresent() && web.isPresent()) {
      routeFirst.remove(route.get());
      routeFirst.add(routeFirst.indexOf(web.get()), route.get());
    }
    this.sleepingSteps = List.copyOf(routeFirst);
    this.sleep = new SleepCycle(kv, layout, settings.sleepAfter(), clock, policies::woke, registry);
    this.costs = new AppCosts(settings.costs(), jobs, clock, registry);
    this.timings = new RolloutTimings(clock, registry);
    this.timeToReady =
        Timer.builder("review_apps_time_to_ready")
            .description("Time from the controller first seeing a spec version to the app Ready")
            .publishPercentileHistogram()
            .register(registry);
    for (Phase phase : Phase.values()) {
      Gauge.builder("review_apps", phases, m -> m.values().stream().filter(phase::equals).count())
          .description("Review apps by phase, as this controller last saw them")
          .tag("phase", phase.name())
          .register(registry);
    }
    Gauge.builder(
            "review_apps_oldest_not_ready_seconds",
            this,
            r -> r.oldestNotReady().toMillis() / 1000.0)
        .description(
            "How long the app that has been not Ready the longest (among apps with a spec) has"
                + " been so, as this controller saw it; 0 when every app is Ready")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            "review_apps_sleeping",
            phases,
            m -> m.values().stream().filter(Phase.Sleeping::equals).count())
        .description("Review apps asleep (web and worker scaled to 0), as this controller saw them")
        .register(registry);
  }

  private Optional<ResourceKind> kindOf(ConditionType condition) {
    return steps.stream().filter(k -> k.condition().equals(Optional.of(condition))).findFirst();
  }

  /** The longest time any app with a spec has been in a phase other than Ready. */
  Duration oldestNotReady() {
    Instant now = clock.instant();
    return notReadySince.values().stream()
        .map(since -> Duration.between(since, now))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /** Remembers the phase just written, and since when the app has been neither Ready nor asleep. */
  private Phase phaseWritten(String app, Phase phase) {
    // A sleeping app is where it should be: asleep for hours must not look like stuck.
    if (phase == Phase.Ready || phase == Phase.Sleeping) {
      notReadySince.remove(app);
    } else {
      notReadySince.putIfAbsent(app, clock.instant());
    }
    return phases.put(app, phase);
  }

  /**
   * The absent-spec hook (the teardown), and the app's place in the {@code review_apps} gauge
   * meanwhile: {@code Deleting} once its teardown began, its last phase while the teardown is held
   * (as its status says), out once its inventory is gone. Also after a failed pass, which the
   * engine retries.
   */
  private Result tearDown(String app) throws Exception {
    Result result;
    try {
      result = absentSpec.reconcile(app);
    } catch (Exception e) {
      try {
        countWhileAbsent(app);
      } catch (RuntimeException unreadable) {
        e.addSuppressed(unreadable);
      }
      throw e;
    }
    countWhileAbsent(app);
    return result;
  }

  private void countWhileAbsent(String app) {
    InventoryStore.Versioned left = inventories.read(app);
    if (left.index() == 0) {
      phases.remove(app);
    } else if (left.inventory().teardown().isPresent()) {
      phases.put(app, Phase.Deleting);
    }
  }

  /** Only valid app names: a key such as {@code specs/a?x} or {@code specs/A B} is never queued. */
  @Override
  public boolean accepts(String name) {
    return AppName.parse(name).isPresent();
  }

  @Override
  public Result reconcile(String app) throws Exception {
    if (!accepts(app)) {
      // The engine never queues such a name; nothing may be read or written under one anyway.
      return Result.done();
    }
    Optional<KvEntry> specEntry = kv.get(layout.spec(app));
    if (specEntry.isEmpty()) {
      notReadySince.remove(app);
      firstSeen.remove(app);
      invalidUpdateLogged.remove(app);
      statuses.forget(app);
      timings.forget(app);
      costs.forget(app);
      Result absent = tearDown(app);
      if (absent instanceof Result.Done && inventories.read(app).index() == 0) {
        policies.gone(app);
      }
      return absent;
    }
    long index = specEntry.get().modifyIndex();
    Instant now = clock.instant();
    firstSeen.compute(
        app,
        (k, seen) ->
            seen == null || seen.index() != index ? new SeenSpec(index, now, false) : seen);
    InventoryStore.Versioned read = inventories.read(app);
    if (read.inventory().teardown().isPresent()) {
      // The spec came back while its app was being torn down: the teardown finishes first (half
      // an app cannot be provisioned), then the app is provisioned afresh in the same run.
      Result teardown = tearDown(app);
      if (!(teardown instanceof Result.Done)) {
        return teardown;
      }
      read = inventories.read(app);
    }
    List<Violation> violations = new ArrayList<>();
    Inventory recorded = read.inventory();
    Optional<ReviewApp> parsed =
        parse(app, specEntry.get().value(), violations)
            .filter(next -> refusesNothing(recorded, next, violations));
    if (parsed.isPresent() && read.index() == 0) {
      // Not provisioned yet: nothing is created (not even the inventory) while the quota is full.
      Optional<QueueWait> wait = policies.quotaWait(app);
      if (wait.isPresent()) {
        writeQueued(app, index, parsed.get().spec().ttl(), wait.get());
        return Result.requeueAfter(policies.queueRecheck());
      }
    }
    if (parsed.isPresent()) {
      Reconciliation run = new Reconciliation(app, parsed.get().spec(), inventories, read);
      String json = new String(ReviewAppJson.write(parsed.get()), StandardCharsets.UTF_8);
      boolean changed = !read.inventory().appliedSpec().equals(Optional.of(json));
      if (changed) {
        run.updateInventory(i -> i.withAppliedSpec(json));
      }
      sleep.beforeSteps(run, changed);
      return converge(run, index, Optional.empty());
    }
    String problems = Violation.summary(violations);
    Optional<ReviewApp> lastGood =
        read.inventory()
            .appliedSpec()
            .flatMap(s -> parse(app, s.getBytes(StandardCharsets.UTF_8), new ArrayList<>()));
    if (lastGood.isEmpty()) {
      writeInvalid(app, index, problems);
      throw TerminalError.alreadyRecorded("invalid spec: " + problems);
    }
    // Keep the app running as it was (and its route in step) while telling why the update waits:
    // the last good spec goes on being reconciled (requeues included), so a rescheduled web
    // allocation is still followed; the phase stays what the steps say, never Failed.
    if (!Long.valueOf(index).equals(invalidUpdateLogged.put(app, index))) {
      LOG.warn(
          "app {}: invalid spec update rejected, still running commit {}: {}",
          app,
          lastGood.get().spec().commit(),
          problems);
    }
    Reconciliation run = new Reconciliation(app, lastGood.get().spec(), inventories, read);
    sleep.beforeSteps(run, false);
    return converge(run, index, Optional.of(problems));
  }

  /**
   * Whether every kind can carry out the change from the spec the app runs (as its inventory
   * records it) to {@code next}; the changes a kind refuses (a database that exists) are added to
   * {@code violations}.
   */
  private boolean refusesNothing(Inventory inventory, ReviewApp next, List<Violation> violations) {
    if (inventory.appliedSpec().isEmpty()
        || !(ReviewAppJson.parse(inventory.appliedSpec().get().getBytes(StandardCharsets.UTF_8))
            instanceof ParseResult.Parsed<ReviewApp> applied)) {
      return true;
    }
    List<Violation> refused =
        steps.stream()
            .flatMap(k -> k.refusedChanges(inventory, applied.value().spec(), next.spec()).stream())
            .toList();
    violations.addAll(refused);
    return refused.isEmpty();
  }

  private Optional<ReviewApp> parse(String app, byte[] bytes, List<Violation> violations) {
    ParseResult<ReviewApp> result = ReviewAppJson.parse(bytes);
    if (!(result instanceof ParseResult.Parsed<ReviewApp> p)) {
      violations.addAll(result.violations());
      return Optional.empty();
    }
    if (p.value().name().equals(app)) {
      List<Violation> notAllowed = dataSources.check(p.value().spec());
      violations.addAll(notAllowed);
      return notAllowed.isEmpty() ? Optional.of(p.value()) : Optional.empty();
    }
    violations.add(
        new Violation(
            "$.metadata.name",
            Rule.DNS_LABEL,
            "must be the key's name " + app + ", not " + p.value().name()));
    return Optional.empty();
  }

  /**
   * Runs the steps and writes status.
   *
   * @param invalidUpdate the violations of a newer spec, when {@code run} holds the last good one
   */
  private Result converge(Reconciliation run, long index, Optional<String> invalidUpdate)
      throws TerminalError {
    // In the order they ran; a kind without a condition counts for the phase, not in conditions.
    Map<ResourceKind, StepOutcome> outcomes = new LinkedHashMap<>();
    // The kinds of this pass that are not Ready yet: waiting, or not run because of one that is.
    Set<String> notReady = new HashSet<>();
    // The soonest recheck any waiting kind asked for; null while none waits.
    Duration recheck = null;
    StepOutcome.Failed failed = null;
    for (ResourceKind kind : run.asleep() ? sleepingSteps : steps) {
      if (!kind.needs().map(n -> Collections.disjoint(n, notReady)).orElse(notReady.isEmpty())) {
        notReady.add(kind.name());
        continue;
      }
      Optional<ConditionType> condition = kind.condition();
      StepOutcome last;
      condition.ifPresent(c -> timings.started(run.app(), run.spec(), c));
      try {
        last = kind.ensure(run);
      } catch (OwnershipConflict e) {
        // Someone else's resource sits where this app's would go: never touched, and asking again
        // cannot help until it is gone (the next resync or spec change looks again).
        last = new StepOutcome.Failed("Conflict", e.getMessage());
      } catch (Exception e) {
        // Recorded (the message is ours and secret-free) and retried with backoff by the engine.
        String what = condition.map(ConditionType::name).orElse(kind.name());
        writeStatus(run, index, outcomes, invalidUpdate, Optional.of(what + ": " + e.getMessage()));
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
      }
      outcomes.put(kind, last);
      if (condition.isPresent()) {
        timings.ran(
            run.app(),
            condition.get(),
            last instanceof StepOutcome.Ready || last instanceof StepOutcome.Degraded);
        observer.afterStep(run.app(), condition.get());
      }
      if (last instanceof StepOutcome.Failed f) {
        failed = f;
        break;
      }
      if (last instanceof StepOutcome.Waiting w) {
        notReady.add(kind.name());
        recheck = recheck == null || w.recheck().compareTo(recheck) < 0 ? w.recheck() : recheck;
      }
    }
    Optional<Duration> sleepRecheck = Optional.empty();
    if (phaseOf(run, outcomes, false) == Phase.Ready) {
      timings.completed(run.app());
      sleepRecheck = sleep.afterReady(run, settings.readyRecheck());
    }
    ReviewAppStatus written = writeStatus(run, index, outcomes, invalidUpdate, Optional.empty());
    Phase before = phaseWritten(run.app(), written.phase());
    if (storedBefore.remove(run.app()) != written.phase()) {
      SeenSpec seen = firstSeen.get(run.app());
      policies.phaseChanged(
          run.app(),
          run.spec(),
          written,
          written.phase() == Phase.Ready && seen != null && seen.index() == index
              ? Optional.of(Duration.between(seen.at(), clock.instant()))
              : Optional.empty());
    }
    if (before != written.phase()) {
      // Reasons and messages only: they are written for status and never hold a secret.
      LOG.info(
          "app {} is {}: {}",
          run.app(),
          written.phase(),
          outcomes.entrySet().stream()
              .map(e -> e.getKey().name() + "=" + e.getValue().reason())
              .collect(Collectors.joining(", ")));
    }
    if (failed != null) {
      // Status (phase Failed, the step's condition, lastError) is written above.
      throw TerminalError.alreadyRecorded(failed.reason() + ": " + failed.message());
    }
    if (recheck != null) {
      return Result.requeueAfter(recheck);
    }
    SeenSpec seen = firstSeen.get(run.app());
    if (seen != null && seen.index() == index && !seen.ready() && written.phase() == Phase.Ready) {
      timeToReady.record(Duration.between(seen.at(), clock.instant()));
      firstSeen.put(run.app(), new SeenSpec(index, seen.at(), true));
    }
    return Result.requeueAfter(sleepRecheck.orElse(settings.readyRecheck()));
  }

  private ReviewAppStatus writeStatus(
      Reconciliation run,
      long index,
      Map<ResourceKind, StepOutcome> outcomes,
      Optional<String> invalidUpdate,
      Optional<String> error) {
    Instant now = clock.instant();
    String url = settings.urlScheme() + "://" + settings.hosts().host(new AppName(run.app()));
    Optional<Instant> expiresAt = policies.expiresAt(run.app(), index, run.spec().ttl());
    StepOutcome awake = sleep.awake(run);
    Cost cost = costs.account(run);
    // One rollout per applied spec value, whatever the Consul index of the key that holds it.
    String revision = ShortHash.of(run.inventory().appliedSpec().orElse(""), 10);
    return statuses.update(
        run.app(),
        current -> {
          storedBefore.put(run.app(), current.phase());
          ReviewAppStatus next =
              invalidUpdate.isPresent()
                  ? current.withCondition(
                      ConditionType.Valid,
                      ConditionStatus.False,
                      "InvalidSpec",
                      "update rejected, still running commit "
                          + run.spec().commit()
                          + ": "
                          + invalidUpdate.get(),
                      now)
                  : current.withCondition(
                      ConditionType.Valid, ConditionStatus.True, "Valid", "", now);
          Map<ConditionType, StepOutcome> conditions = new EnumMap<>(ConditionType.class);
          outcomes.forEach((kind, o) -> kind.condition().ifPresent(c -> conditions.put(c, o)));
          conditions.put(ConditionType.Awake, awake);
          for (Map.Entry<ConditionType, StepOutcome> e : conditions.entrySet()) {
            StepOutcome o = e.getValue();
            ConditionStatus status =
                o instanceof StepOutcome.Ready ? ConditionStatus.True : ConditionStatus.False;
            next = next.withCondition(e.getKey(), status, o.reason(), o.message(), now);
          }
          Phase phase = phaseOf(run, outcomes, error.isPresent());
          Optional<String> lastError =
              error
                  .or(
                      () ->
                          outcomes.values().stream()
                              .filter(StepOutcome.Failed.class::isInstance)
                              .map(o -> o.reason() + ": " + o.message())
                              .findFirst())
                  .or(() -> invalidUpdate.map(p -> "invalid spec update: " + p));
          return next.withPhase(phase)
              .withObservedIndex(index)
              .withUrl(
                  phase == Phase.Ready || current.url().isPresent()
                      ? Optional.of(url)
                      : Optional.empty())
              .withLastError(lastError)
              .withExpiresAt(expiresAt)
              .withTimings(timings.of(run.app()).orElse(current.timings()))
              .withCost(Optional.of(cost))
              .withRolloutOf(revision, run.spec().commit(), now);
        });
  }

  /**
   * Status of an app waiting for a quota slot or room in the budget: Pending, CapacityReady False
   * with the wait's reason.
   */
  private void writeQueued(String app, long index, Optional<Ttl> ttl, QueueWait why) {
    Instant now = clock.instant();
    Optional<Instant> expiresAt = policies.expiresAt(app, index, ttl);
    ReviewAppStatus written =
        statuses.update(
            app,
            current ->
                current
                    .withCondition(ConditionType.Valid, ConditionStatus.True, "Valid", "", now)
                    .withCondition(
                        ConditionType.CapacityReady,
                        ConditionStatus.False,
                        why.reason(),
                        why.message(),
                        now)
                    .withPhase(Phase.Pending)
                    .withObservedIndex(index)
                    .withExpiresAt(expiresAt));
    if (phases.put(app, written.phase()) != Phase.Pending) {
      LOG.info("app {} is Pending: {}, {}", app, why.reason(), why.message());
    }
  }

  /** Status of an app whose spec was never valid: Failed, with every violation listed. */
  private void writeInvalid(String app, long index, String problems) {
    Instant now = clock.instant();
    // The TTL of a spec that cannot be read is the configured default.
    Optional<Instant> expiresAt = policies.expiresAt(app, index, Optional.empty());
    ReviewAppStatus written =
        statuses.update(
            app,
            current ->
                current
                    .withCondition(
                        ConditionType.Valid, ConditionStatus.False, "InvalidSpec", problems, now)
                    .withPhase(Phase.Failed)
                    .withObservedIndex(index)
                    .withLastError(Optional.of("invalid spec: " + problems))
                    .withExpiresAt(expiresAt));
    phaseWritten(app, written.phase());
  }

  /**
   * The phase from how far the steps got: Sleeping for an app asleep (or falling asleep), Waking
   * for one that was asked to wake and is not Ready yet.
   */
  private Phase phaseOf(
      Reconciliation run, Map<ResourceKind, StepOutcome> outcomes, boolean error) {
    if (outcomes.values().stream().anyMatch(StepOutcome.Failed.class::isInstance)) {
      return Phase.Failed;
    }
    if (run.asleep()) {
      return Phase.Sleeping;
    }
    boolean allRun = outcomes.size() == steps.size();
    boolean anyWaiting = outcomes.values().stream().anyMatch(StepOutcome.Waiting.class::isInstance);
    if (allRun && !anyWaiting && !error) {
      return Phase.Ready;
    }
    if (run.inventory().sleep().wakeRequested().isPresent()) {
      return Phase.Waking;
    }
    // Provisioned: Redis and every kind before it are up (Redis may be up while the database
    // still waits, and that app is still being provisioned).
    boolean provisioned = false;
    for (ResourceKind kind : steps) {
      StepOutcome o = outcomes.get(kind);
      if (o == null || o instanceof StepOutcome.Waiting) {
        break;
      }
      if (kind.condition().equals(Optional.of(ConditionType.RedisReady))) {
        provisioned = true;
        break;
      }
    }
    return provisioned ? Phase.Deploying : Phase.Provisioning;
  }

  /**
   * When this controller first saw a spec version (Consul keeps no write time; for a spec written
   * while the controller runs the watch makes the two within milliseconds), and whether its time to
   * Ready was recorded: once per version.
   */
  private record SeenSpec(long index, Instant at, boolean ready) {}

  /** The time-to-Ready timer, for tests and the benchmark. */
  Timer timeToReady() {
    return timeToReady;
  }
}
