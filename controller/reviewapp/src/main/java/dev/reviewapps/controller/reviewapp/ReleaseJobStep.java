package dev.reviewapps.controller.reviewapp;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.controller.reviewapp.inventory.Resource;
import dev.reviewapps.controller.reviewapp.nomad.AppRelease;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * Migrated and Seeded: a release command run as a Nomad batch job, whose success is recorded in the
 * inventory so it is never run again for the same thing: the migration once per release (image and
 * commit), the seed once per app, after its first migration. Both jobs are named per release, so a
 * failed one runs again when the spec brings a new release.
 */
final class ReleaseJobStep implements Step {

  private final TaskRole role;
  private final NomadJobs nomad;
  private final ReviewAppJobs jobs;
  private final Duration recheck;

  private ReleaseJobStep(TaskRole role, NomadJobs nomad, ReviewAppJobs jobs, Duration recheck) {
    this.role = role;
    this.nomad = nomad;
    this.jobs = jobs;
    this.recheck = recheck;
  }

  static ReleaseJobStep migrate(NomadJobs nomad, ReviewAppJobs jobs, Duration recheck) {
    return new ReleaseJobStep(TaskRole.MIGRATE, nomad, jobs, recheck);
  }

  static ReleaseJobStep seed(NomadJobs nomad, ReviewAppJobs jobs, Duration recheck) {
    return new ReleaseJobStep(TaskRole.SEED, nomad, jobs, recheck);
  }

  @Override
  public ConditionType condition() {
    return role == TaskRole.MIGRATE ? ConditionType.Migrated : ConditionType.Seeded;
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    String release = ReviewAppJobs.releaseKey(run.spec());
    boolean done =
        role == TaskRole.MIGRATE
            ? run.inventory().migratedRelease().filter(release::equals).isPresent()
            : run.inventory().seeded();
    if (done) {
      return new StepOutcome.Ready(
          role == TaskRole.MIGRATE ? "Migrated" : "Seeded",
          role == TaskRole.MIGRATE
              ? "commit " + run.spec().commit() + " migrated"
              : "seed data loaded once");
    }
    Optional<String> command =
        role == TaskRole.MIGRATE ? run.spec().release().migrate() : run.spec().release().seed();
    if (command.isEmpty()) {
      if (role == TaskRole.MIGRATE) {
        run.updateInventory(i -> i.withMigratedRelease(release));
      }
      return new StepOutcome.Ready("NoCommand", "the spec has no " + role.label() + " command");
    }
    AppRelease app = run.release();
    Job job =
        role == TaskRole.MIGRATE
            ? jobs.migrateJob(app, command.get())
            : jobs.seedJob(app, command.get());
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
          role == TaskRole.MIGRATE ? "MigrationFailed" : "SeedFailed",
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
    run.updateInventory(
        i -> role == TaskRole.MIGRATE ? i.withMigratedRelease(release) : i.withSeeded());
    forgetEarlierRuns(run, job.getId());
    return new StepOutcome.Ready(
        role == TaskRole.MIGRATE ? "Migrated" : "Seeded",
        role.label() + " job " + job.getId() + " completed");
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
}
