package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.client.inventory.TeardownProgress;
import dev.reviewapps.client.inventory.TeardownProgress.PredestroyOutcome;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.credentials.CredentialStore;
import dev.reviewapps.controller.reviewapp.nomad.AppRelease;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.ConditionType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spec's predestroy command (a database dump, a webhook): run once as a Nomad batch job when
 * the app is torn down, after its route is gone and before its Redis and database go, and waited
 * for. Nothing to ensure and no condition: it exists only during a teardown. Deleted: the command
 * runs (retried up to {@code predestroyAttempts}, each attempt bounded by {@code
 * predestroyTimeout}), then its job is purged. Its orphans are in the Nomad listing of {@link
 * RedisKind}.
 */
public final class PredestroyKind implements ResourceKind {

  private static final Logger LOG = LoggerFactory.getLogger(PredestroyKind.class);

  private final CredentialStore credentials;
  private final NomadJobs nomad;
  private final ReviewAppJobs jobs;
  private final TeardownSettings settings;
  private final Clock clock;
  private final Map<PredestroyOutcome, Counter> predestroys =
      new EnumMap<>(PredestroyOutcome.class);

  @Inject
  PredestroyKind(
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      TeardownSettings settings,
      MeterRegistry registry,
      Clock clock) {
    this.credentials = providers.credentials();
    this.nomad = providers.nomad();
    this.jobs = jobs;
    this.settings = settings;
    this.clock = clock;
    for (PredestroyOutcome outcome : PredestroyOutcome.values()) {
      predestroys.put(
          outcome,
          Counter.builder("review_apps_predestroy")
              .description("Predestroy commands finished with, by outcome")
              .tag("outcome", outcome.json())
              .register(registry));
    }
  }

  @Override
  public String name() {
    return "predestroy";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> delete(Dismantling run) {
    Optional<Duration> running = predestroy(run);
    if (running.isPresent()) {
      return running;
    }
    String jobId = ResourceNames.of(run.app()).predestroyJob();
    return NomadJobRemoval.remove(run, nomad, jobId::equals, settings.recheck());
  }

  /**
   * Runs the last applied spec's predestroy command as a batch job, while the app's database and
   * Redis are still there, and waits for it. A failing (or timed-out) attempt is purged and started
   * again, up to {@code predestroyAttempts}; then the teardown goes on without it, because a broken
   * script must not keep the app (and its cost) alive for ever.
   */
  private Optional<Duration> predestroy(Dismantling run) {
    TeardownProgress progress = run.progress();
    Optional<ReviewAppSpec> spec = run.appliedSpec();
    Optional<String> command = spec.flatMap(s -> s.release().predestroy());
    if (command.isEmpty() || progress.predestroy().isPresent()) {
      return Optional.empty();
    }
    run.deleting("running the predestroy command");
    Optional<String> databaseUrl = databaseUrl(run);
    if (databaseUrl.isEmpty()) {
      endPredestroy(run, PredestroyOutcome.SKIPPED);
      LOG.warn("teardown of {}: predestroy skipped, the app never had a database", run.app());
      return Optional.empty();
    }
    String jobId = ResourceNames.of(run.app()).predestroyJob();
    // Recorded before it is registered, as every job: purged below once it has ended.
    run.record(new Resource.NomadJob(jobId));
    if (nomad.registered(run.app(), jobId).isEmpty()) {
      // A start recorded without a job is an attempt a crash interrupted: not counted twice.
      if (progress.predestroyStarted().isEmpty()) {
        progress = run.updateProgress(p -> p.predestroyAttempt(clock.instant()));
      }
      AppRelease release =
          new AppRelease(run.app(), spec.get(), databaseUrl.get(), redisUrl(run.app(), spec.get()));
      nomad.register(jobs.predestroyJob(release, command.get()));
      LOG.info(
          "teardown of {}: predestroy job {} started (attempt {} of {})",
          run.app(),
          jobId,
          progress.predestroyAttempts(),
          settings.predestroyAttempts());
      return Optional.of(settings.recheck());
    }
    NomadJobs.BatchOutcome outcome = nomad.batchOutcome(jobId, TaskRole.PREDESTROY.label());
    if (outcome instanceof NomadJobs.BatchOutcome.Succeeded) {
      endPredestroy(run, PredestroyOutcome.SUCCEEDED);
      LOG.info("teardown of {}: predestroy job {} completed", run.app(), jobId);
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
          run.app(),
          jobId,
          how,
          progress.predestroyAttempts(),
          settings.predestroyAttempts());
      return Optional.empty();
    }
    // Purged so that the next attempt is a fresh job (an identical one registered again would
    // not run again).
    nomad.purge(run.app(), jobId);
    run.updateProgress(TeardownProgress::predestroyAttemptEnded);
    LOG.warn(
        "teardown of {}: predestroy job {} {} on attempt {} of {}; starting it again",
        run.app(),
        jobId,
        how,
        progress.predestroyAttempts(),
        settings.predestroyAttempts());
    return Optional.of(settings.recheck());
  }

  private void endPredestroy(Dismantling run, PredestroyOutcome outcome) {
    run.updateProgress(p -> p.predestroyEnded(outcome));
    predestroys.get(outcome).increment();
  }

  private Optional<String> databaseUrl(Dismantling run) {
    return credentials.read(run.app()).flatMap(login -> run.inventory().databaseUrl(login));
  }

  /** The app's Redis while it still serves; without it the predestroy job gets no REDIS_URL. */
  private Optional<String> redisUrl(String app, ReviewAppSpec spec) {
    if (spec.redis().isEmpty()) {
      return Optional.empty();
    }
    return RedisKind.servingAddress(nomad, app)
        .flatMap(address -> credentials.read(app).map(c -> c.redisUrl(address)));
  }
}
