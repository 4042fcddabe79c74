package dev.reviewapps.controller.reviewapp.kinds;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * What the migrate and the seed kind share: a release command run as a Nomad batch job named per
 * release ({@code <app>.<role>.<release>}), whose success is recorded in the inventory so it is
 * never run again for the same thing. A failed job stays Failed until the spec brings a new release
 * (a new job ID runs the command again) or the failed job is purged by hand.
 *
 * <p>Deleted: this role's recorded batch jobs are stopped and purged. Their orphans are found by
 * the Nomad job listing of {@link RedisKind}.
 */
abstract class ReleaseJobKind implements ResourceKind {

  private final TaskRole role;
  private final ConditionType condition;
  private final NomadJobs nomad;
  protected final ReviewAppJobs jobs;
  private final Duration recheck;
  private final Duration teardownRecheck;

  ReleaseJobKind(
      TaskRole role,
      ConditionType condition,
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown) {
    this.role = role;
    this.condition = condition;
    this.nomad = providers.nomad();
    this.jobs = jobs;
    this.recheck = settings.recheck();
    this.teardownRecheck = teardown.recheck();
  }

  /** True when the inventory says the command ran for {@code release} (or need not run again). */
  abstract boolean done(Reconciliation run, String release);

  /** The spec's command for this role, if it has one. */
  abstract Optional<String> command(Reconciliation run);

  /** The batch job that runs {@code command} for this run's release. */
  abstract Job job(Reconciliation run, String command);

  /** Records in the inventory that the command ran (or that there was none) for {@code release}. */
  abstract void recordDone(Reconciliation run, String release, boolean ran);

  /** The condition's reason once done: {@code Migrated}, {@code Seeded}. */
  abstract String doneReason();

  /** The condition's message when the inventory already says done. */
  abstract String doneMessage(Reconciliation run);

  /** The condition's reason when the job failed: {@code MigrationFailed}, {@code SeedFailed}. */
  abstract String failedReason();

  @Override
  public final String name() {
    return role.label();
  }

  @Override
  public final Optional<ConditionType> condition() {
    return Optional.of(condition);
  }

  @Override
  public final StepOutcome ensure(Reconciliation run) {
    String release = ReviewAppJobs.releaseKey(run.spec());
    if (done(run, release)) {
      return new StepOutcome.Ready(doneReason(), doneMessage(run));
    }
    Optional<String> command = command(run);
    if (command.isEmpty()) {
      recordDone(run, release, false);
      return new StepOutcome.Ready("NoCommand", "the spec has no " + role.label() + " command");
    }
    Job job = job(run, command.get());
    run.record(new Resource.NomadJob(job.getId()));
    if (nomad.registered(run.app(), job.getId()).isEmpty()) {
      nomad.register(job);
      return new StepOutcome.Waiting(
          "Running", role.label() + " job " + job.getId() + " started", recheck);
    }
    NomadJobs.BatchOutcome outcome = nomad.batchOutcome(job.getId(), role.label());
    if (outcome instanceof NomadJobs.BatchOutcome.Running) {
      return new StepOutcome.Waiting(
          "Running", role.label() + " job " + job.getId() + " running", recheck);
    }
    if (outcome instanceof NomadJobs.BatchOutcome.Failed f) {
      // The job ID is per release, so a new release runs the command again by itself.
      return new StepOutcome.Failed(
          failedReason(),
          role.label()
              + " job "
              + job.getId()
              + " ended "
              + f.clientStatus()
              + "; see `reviewctl logs "
              + run.app()
              + " "
              + role.label()
              + "`. To retry, push a new commit, or purge the failed job without a change:"
              + " `nomad job purge "
              + job.getId()
              + "` (the next resync runs it again)");
    }
    recordDone(run, release, true);
    forgetEarlierRuns(run, job.getId());
    return new StepOutcome.Ready(doneReason(), role.label() + " job " + job.getId() + " completed");
  }

  /**
   * Older releases' jobs of this role (earlier migrations, failed seeds) are done with: purged
   * first, then dropped from the record.
   */
  private void forgetEarlierRuns(Reconciliation run, String current) {
    String prefix = ResourceNames.of(run.app()).batchJobPrefix(role.label());
    for (Resource.NomadJob old : run.inventory().resources(Resource.NomadJob.class)) {
      if (old.id().startsWith(prefix) && !old.id().equals(current)) {
        nomad.purge(run.app(), old.id());
        run.updateInventory(i -> i.without(old));
      }
    }
  }

  @Override
  public final Optional<Duration> delete(Dismantling run) {
    String prefix = ResourceNames.of(run.app()).batchJobPrefix(role.label());
    return NomadJobRemoval.remove(run, nomad, id -> id.startsWith(prefix), teardownRecheck);
  }
}
