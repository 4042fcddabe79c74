package dev.reviewapps.controller.reviewapp.teardown;

import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.credentials.DatabaseCredentials;
import dev.reviewapps.controller.reviewapp.inventory.Inventory;
import dev.reviewapps.controller.reviewapp.inventory.InventoryStore;
import dev.reviewapps.controller.reviewapp.inventory.Resource;
import dev.reviewapps.controller.reviewapp.inventory.TeardownProgress;
import dev.reviewapps.controller.reviewapp.inventory.TeardownProgress.PredestroyOutcome;
import dev.reviewapps.controller.reviewapp.nomad.AppRelease;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.status.StatusWriter;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tears an app down from its inventory once its spec key is gone, in this order: route (so no
 * request reaches a dying app), predestroy command, Nomad jobs (stopped, their allocations ended,
 * purged), capacity recomputed without the app, database (shared: DROP DATABASE and role; RDS:
 * DeleteDBInstance, optionally with a final snapshot, until it is gone), the app's S3 assets,
 * credentials, status, and the inventory record last.
 *
 * <p>Every stage is idempotent and removes what it deleted from the inventory (check-and-set) at
 * once, so an interrupted teardown resumes where it stopped, also in a freshly started controller.
 * A stage that waits for the outside world returns "requeue after"; a stage that fails throws and
 * is retried by the engine with backoff, and no later stage runs before it has succeeded. The
 * {@link TeardownGate} is asked once, before anything is deleted; that the teardown has begun is
 * recorded in the inventory, so it is never asked again for this teardown.
 */
public final class Teardown implements ReviewAppReconciler.AbsentSpec {

  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  /** Final snapshot names end with the teardown's start: unique per teardown, yet deterministic. */
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** The stages of a teardown, in the order they run. */
  public enum Stage {
    ROUTE("removing the route"),
    PREDESTROY("running the predestroy command"),
    JOBS("stopping and purging the Nomad jobs"),
    CAPACITY("recomputing capacity without the app"),
    DATABASE("deleting the database"),
    ASSETS("deleting the S3 assets"),
    CREDENTIALS("deleting the credentials"),
    STATUS("deleting the status"),
    INVENTORY("deleting the inventory");

    private final String description;

    Stage(String description) {
      this.description = description;
    }

    /** What the stage does, for status and logs. */
    public String description() {
      return description;
    }
  }

  /** Told after each stage has completed; tests use it to crash a teardown between stages. */
  @FunctionalInterface
  public interface StageObserver {
    void afterStage(String app, Stage stage);

    StageObserver NONE = (app, stage) -> {};
  }

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final InventoryStore inventories;
  private final StatusWriter statuses;
  private final ReviewAppProviders providers;
  private final CapacitySizer sizer;
  private final ReviewAppJobs jobs;
  private final TeardownSettings settings;
  private final TeardownGate gate;
  private final Clock clock;
  private final StageObserver observer;
  private final Counter completed;
  private final Counter held;
  private final Counter failed;
  private final Timer duration;
  private final Map<PredestroyOutcome, Counter> predestroys =
      new EnumMap<>(PredestroyOutcome.class);

  public Teardown(
      KeyValueStore kv,
      KeyLayout layout,
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      TeardownSettings settings,
      TeardownGate gate,
      MeterRegistry registry,
      Clock clock,
      StageObserver observer) {
    this(
        kv,
        layout,
        providers,
        jobs,
        settings,
        gate,
        registry,
        clock,
        observer,
        CapacitySizer.inline(providers.capacity(), new InventoryStore(kv, layout)));
  }

  /**
   * @param sizer sizes the cluster once the app's footprint is forgotten (the reconciler's)
   */
  public Teardown(
      KeyValueStore kv,
      KeyLayout layout,
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      TeardownSettings settings,
      TeardownGate gate,
      MeterRegistry registry,
      Clock clock,
      StageObserver observer,
      CapacitySizer sizer) {
    this.sizer = sizer;
    this.kv = kv;
    this.layout = layout;
    this.inventories = new InventoryStore(kv, layout);
    this.statuses = new StatusWriter(kv, layout);
    this.providers = providers;
    this.jobs = jobs;
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
    for (PredestroyOutcome outcome : PredestroyOutcome.values()) {
      predestroys.put(
          outcome,
          Counter.builder("review_apps_predestroy")
              .description("Predestroy commands finished with, by outcome")
              .tag("outcome", outcome.json())
              .register(registry));
    }
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
              layout.phase(app),
              layout.wake(app),
              layout.sleep(app),
              layout.activity(app))
          .anyMatch(key -> kv.get(key).isPresent())) {
        statuses.delete(app);
        LOG.info("app {} had a status but no inventory: status deleted", app);
      }
      return Result.done();
    }
    Run run = new Run(app, read);
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
    Stage stage = Stage.ROUTE;
    try {
      for (Stage s : Stage.values()) {
        stage = s;
        Optional<Duration> waitFor = runStage(s, run);
        if (waitFor.isPresent()) {
          return Result.requeueAfter(waitFor.get());
        }
        observer.afterStage(app, s);
      }
    } catch (Exception e) {
      failed.increment();
      recordFailure(app, stage, e);
      throw e;
    }
    completed.increment();
    Duration took = Duration.between(run.progress().since(), clock.instant());
    duration.record(took);
    LOG.info("teardown of {} complete in {} ms: nothing of it is left", app, took.toMillis());
    return Result.done();
  }

  /** Runs one stage; empty when it is done, else how long to wait before looking again. */
  private Optional<Duration> runStage(Stage stage, Run run) throws Exception {
    Inventory inventory = run.inventory();
    return switch (stage) {
      case ROUTE -> {
        List<Resource.Route> routes = inventory.resources(Resource.Route.class);
        if (!routes.isEmpty()) {
          deleting(run.app, stage);
        }
        for (Resource.Route route : routes) {
          providers.routes().remove(route.id());
          run.update(i -> i.without(route));
          LOG.info("teardown of {}: route {} removed", run.app, route.id());
        }
        yield Optional.empty();
      }
      case PREDESTROY -> predestroy(run);
      case JOBS -> jobs(run);
      case CAPACITY -> {
        if (!inventory.allocations().isEmpty()) {
          deleting(run.app, stage);
          capacity(run);
        }
        yield Optional.empty();
      }
      case DATABASE -> database(run);
      case ASSETS -> {
        deleting(run.app, stage);
        int deleted = providers.assets().deleteAll(run.app);
        LOG.info("teardown of {}: {} S3 asset objects deleted", run.app, deleted);
        yield Optional.empty();
      }
      case CREDENTIALS -> {
        for (Resource.Credentials c : inventory.resources(Resource.Credentials.class)) {
          deleting(run.app, stage);
          providers.credentials().delete(run.app);
          run.update(i -> i.without(c));
          LOG.info("teardown of {}: credentials {} deleted", run.app, c.id());
        }
        yield Optional.empty();
      }
      case STATUS -> {
        statuses.delete(run.app);
        LOG.info("teardown of {}: status and phase key deleted", run.app);
        yield Optional.empty();
      }
      case INVENTORY -> {
        inventories.delete(run.app);
        LOG.info("teardown of {}: inventory deleted", run.app);
        yield Optional.empty();
      }
    };
  }

  /**
   * Runs the last applied spec's predestroy command as a batch job, while the app's database and
   * Redis are still there, and waits for it. A failing (or timed-out) attempt is purged and started
   * again, up to {@code predestroyAttempts}; then the teardown goes on without it, because a broken
   * script must not keep the app (and its cost) alive for ever.
   */
  private Optional<Duration> predestroy(Run run) {
    TeardownProgress progress = run.progress();
    Optional<ReviewAppSpec> spec = run.appliedSpec();
    Optional<String> command = spec.flatMap(s -> s.release().predestroy());
    if (command.isEmpty() || progress.predestroy().isPresent()) {
      return Optional.empty();
    }
    deleting(run.app, Stage.PREDESTROY);
    Optional<String> databaseUrl = databaseUrl(run);
    if (databaseUrl.isEmpty()) {
      endPredestroy(run, PredestroyOutcome.SKIPPED);
      LOG.warn("teardown of {}: predestroy skipped, the app never had a database", run.app);
      return Optional.empty();
    }
    String jobId = ReviewAppJobs.predestroyJobId(run.app);
    // Recorded before it is registered, as every job: the jobs stage purges it in any case.
    run.record(new Resource.NomadJob(jobId));
    NomadJobs nomad = providers.nomad();
    if (nomad.registered(run.app, jobId).isEmpty()) {
      // A start recorded without a job is an attempt a crash interrupted: not counted twice.
      if (progress.predestroyStarted().isEmpty()) {
        progress = run.updateProgress(p -> p.predestroyAttempt(clock.instant()));
      }
      AppRelease release =
          new AppRelease(run.app, spec.get(), databaseUrl.get(), redisUrl(run.app, spec.get()));
      nomad.register(jobs.predestroyJob(release, command.get()));
      LOG.info(
          "teardown of {}: predestroy job {} started (attempt {} of {})",
          run.app,
          jobId,
          progress.predestroyAttempts(),
          settings.predestroyAttempts());
      return Optional.of(settings.recheck());
    }
    NomadJobs.BatchOutcome outcome = nomad.batchOutcome(jobId, TaskRole.PREDESTROY.label());
    if (outcome instanceof NomadJobs.BatchOutcome.Succeeded) {
      endPredestroy(run, PredestroyOutcome.SUCCEEDED);
      LOG.info("teardown of {}: predestroy job {} completed", run.app, jobId);
      return Optional.empty();
    }
    Instant started = progress.predestroyStarted().orElse(clock.instant());
    boolean timedOut =
        clock.instant().isAfter(started.plus(settings.predestroyTimeout()))
            && outcome instanceof NomadJobs.BatchOutcome.Running;
    if (outcome instanceof NomadJobs.BatchOutcome.Running && !timedOut) {
      return Optional.of(settings.recheck());
    }
    String how =
        timedOut
            ? "ran longer than " + settings.predestroyTimeout()
            : "ended " + ((NomadJobs.BatchOutcome.Failed) outcome).clientStatus();
    if (progress.predestroyAttempts() >= settings.predestroyAttempts()) {
      // The jobs stage stops whatever still runs of it.
      endPredestroy(run, PredestroyOutcome.GAVE_UP);
      LOG.warn(
          "teardown of {}: predestroy job {} {} on attempt {} of {}; the teardown goes on without"
              + " it",
          run.app,
          jobId,
          how,
          progress.predestroyAttempts(),
          settings.predestroyAttempts());
      return Optional.empty();
    }
    // Purged so that the next attempt is a fresh job (an identical one registered again would
    // not run again).
    nomad.purge(run.app, jobId);
    run.updateProgress(TeardownProgress::predestroyAttemptEnded);
    LOG.warn(
        "teardown of {}: predestroy job {} {} on attempt {} of {}; starting it again",
        run.app,
        jobId,
        how,
        progress.predestroyAttempts(),
        settings.predestroyAttempts());
    return Optional.of(settings.recheck());
  }

  private void endPredestroy(Run run, PredestroyOutcome outcome) {
    run.updateProgress(p -> p.predestroyEnded(outcome));
    predestroys.get(outcome).increment();
  }

  private Optional<String> databaseUrl(Run run) {
    Inventory i = run.inventory();
    Optional<DatabaseCredentials> login = providers.credentials().read(run.app);
    if (login.isEmpty() || i.databaseEndpoint().isEmpty() || i.databaseName().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(login.get().url(i.databaseEndpoint().get(), i.databaseName().get()));
  }

  /** The app's Redis while it still serves; without it the predestroy job gets no REDIS_URL. */
  private Optional<String> redisUrl(String app, ReviewAppSpec spec) {
    if (spec.redis().isEmpty()) {
      return Optional.empty();
    }
    return providers
        .nomad()
        .allocations(ReviewAppJobs.serviceJobId(app), TaskRole.REDIS.label())
        .stream()
        .filter(NomadJobs.GroupAllocation::serving)
        .flatMap(a -> a.address().stream())
        .findFirst()
        .flatMap(address -> providers.credentials().read(app).map(c -> c.redisUrl(address)));
  }

  /**
   * Stops every job (all at once, so their processes end together), waits until no allocation of
   * any of them is pending or running, then purges each and forgets it.
   */
  private Optional<Duration> jobs(Run run) {
    List<Resource.NomadJob> recorded = run.inventory().resources(Resource.NomadJob.class);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    deleting(run.app, Stage.JOBS);
    NomadJobs nomad = providers.nomad();
    List<Resource.NomadJob> ours = new ArrayList<>();
    for (Resource.NomadJob job : recorded) {
      try {
        // registered() is empty for a stopped job too: no second deregistration on later passes.
        if (nomad.registered(run.app, job.id()).isPresent()) {
          nomad.stop(run.app, job.id());
        }
        ours.add(job);
      } catch (OwnershipConflict e) {
        // Recorded before a register that was refused: the job is someone else's. Forget it.
        run.update(i -> i.without(job));
        LOG.warn("teardown of {}: {}", run.app, e.getMessage());
      }
    }
    List<String> stillRunning = new ArrayList<>();
    for (Resource.NomadJob job : ours) {
      int live = nomad.liveAllocations(job.id());
      if (live > 0) {
        stillRunning.add(job.id() + " (" + live + ")");
        continue;
      }
      nomad.purge(run.app, job.id());
      run.update(i -> i.without(job));
      LOG.info("teardown of {}: Nomad job {} stopped and purged", run.app, job.id());
    }
    if (stillRunning.isEmpty()) {
      return Optional.empty();
    }
    LOG.debug("teardown of {}: allocations still ending: {}", run.app, stillRunning);
    return Optional.of(settings.recheck());
  }

  /**
   * Forgets this app's allocations and asks the sizer to size the cluster without them (a crash in
   * between is caught by the sizer's periodic pass).
   */
  private void capacity(Run run) {
    run.update(i -> i.withAllocations(List.of()));
    sizer.nudge();
    LOG.info(
        "teardown of {}: allocations forgotten; capacity {}",
        run.app,
        sizer.deferred()
            ? "is sized again by the leader"
            : sizer.last().map(o -> o.message()).orElse("unknown"));
  }

  private Optional<Duration> database(Run run) {
    Inventory inventory = run.inventory();
    List<Resource.SharedDatabase> shared = inventory.resources(Resource.SharedDatabase.class);
    List<Resource.RdsInstance> instances = inventory.resources(Resource.RdsInstance.class);
    if (shared.isEmpty() && instances.isEmpty()) {
      return Optional.empty();
    }
    deleting(run.app, Stage.DATABASE);
    for (Resource.SharedDatabase db : shared) {
      try {
        providers
            .sharedDatabases()
            .drop(new SharedDatabase(run.app, db.id(), db.role(), Optional.empty()));
        LOG.info("teardown of {}: database {} and role {} dropped", run.app, db.id(), db.role());
      } catch (OwnershipConflict e) {
        // Recorded before an ensure that was refused: someone else's. Forgotten, never dropped.
        LOG.warn("teardown of {}: {}", run.app, e.getMessage());
      }
      run.update(i -> i.without(db));
    }
    boolean waiting = false;
    for (Resource.RdsInstance instance : instances) {
      try {
        waiting |= rdsInstance(run, instance);
      } catch (OwnershipConflict e) {
        // Recorded before a create that found someone else's instance: forgotten, never deleted.
        LOG.warn("teardown of {}: {}", run.app, e.getMessage());
        run.update(i -> i.without(instance));
      }
    }
    return waiting ? Optional.of(settings.rdsRecheck()) : Optional.empty();
  }

  /** Deletes one RDS instance; true while it is not gone yet. */
  private boolean rdsInstance(Run run, Resource.RdsInstance instance) {
    RdsInstances rds = providers.rds();
    Optional<RdsInstances.RdsInstance> found = rds.describe(instance.id());
    if (found.isEmpty()) {
      run.update(i -> i.without(instance));
      LOG.info("teardown of {}: RDS instance {} deleted", run.app, instance.id());
      return false;
    }
    String status = found.get().status();
    if (status.equals("deleting")) {
      return true;
    }
    Optional<String> snapshot = Optional.empty();
    if (settings.finalSnapshot() && !status.equals("failed")) {
      if (!status.equals("available")) {
        // RDS takes a final snapshot of an available instance only; creating, modifying and
        // backing-up all end in available.
        LOG.debug("teardown of {}: RDS instance {} is {}", run.app, instance.id(), status);
        return true;
      }
      snapshot =
          Optional.of(instance.id() + "-final-" + SNAPSHOT_TIME.format(run.progress().since()));
    }
    rds.delete(instance.id(), snapshot);
    LOG.info(
        "teardown of {}: RDS instance {} deletion started{}",
        run.app,
        instance.id(),
        snapshot.map(s -> " with final snapshot " + s).orElse(" without a final snapshot"));
    return true;
  }

  /** Status says the app is being deleted and what is under way; the URL no longer serves. */
  private void deleting(String app, Stage stage) {
    statuses.update(
        app,
        s ->
            s.withPhase(Phase.Deleting)
                .withUrl(Optional.empty())
                .withMessage(Optional.of(stage.description()))
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
  private void recordFailure(String app, Stage stage, Exception e) {
    LOG.warn("teardown of {}: {} failed, will retry: {}", app, stage.description(), e.getMessage());
    if (stage.compareTo(Stage.STATUS) >= 0) {
      return;
    }
    try {
      statuses.update(
          app,
          s ->
              s.withPhase(Phase.Deleting)
                  .withMessage(Optional.of(stage.description()))
                  .withLastError(Optional.of(stage.description() + ": " + e.getMessage())));
    } catch (RuntimeException statusFailure) {
      e.addSuppressed(statusFailure);
    }
  }

  /** One teardown pass of one app: its inventory as last written, and the CAS writes of it. */
  private final class Run {
    private final String app;
    private InventoryStore.Versioned inventory;

    Run(String app, InventoryStore.Versioned inventory) {
      this.app = app;
      this.inventory = inventory;
    }

    Inventory inventory() {
      return inventory.inventory();
    }

    TeardownProgress progress() {
      return inventory().teardown().orElseThrow();
    }

    void update(UnaryOperator<Inventory> change) {
      inventory = inventories.write(inventory, change.apply(inventory()));
    }

    TeardownProgress updateProgress(UnaryOperator<TeardownProgress> change) {
      update(i -> i.withTeardown(change.apply(progress())));
      return progress();
    }

    void record(Resource resource) {
      if (!inventory().has(resource)) {
        update(i -> i.with(resource));
      }
    }

    /** The last valid spec the app ran, if it ever had one. */
    Optional<ReviewAppSpec> appliedSpec() {
      return inventory()
          .appliedSpec()
          .flatMap(s -> ReviewAppJson.parse(s.getBytes(StandardCharsets.UTF_8)).toOptional())
          .map(ReviewApp::spec);
    }
  }
}
