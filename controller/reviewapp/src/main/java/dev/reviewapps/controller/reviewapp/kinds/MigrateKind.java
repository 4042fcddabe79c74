package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.status.ConditionType;
import java.util.Optional;

/**
 * Migrated: the spec's migrate command, once per release (image and commit), before web and worker
 * of that release start. A spec without one counts as migrated.
 */
public final class MigrateKind extends ReleaseJobKind {

  @Inject
  MigrateKind(
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown) {
    super(TaskRole.MIGRATE, ConditionType.Migrated, providers, jobs, settings, teardown);
  }

  @Override
  boolean done(Reconciliation run, String release) {
    return run.inventory().migratedRelease().filter(release::equals).isPresent();
  }

  @Override
  Optional<String> command(Reconciliation run) {
    return run.spec().release().migrate();
  }

  @Override
  Job job(Reconciliation run, String command) {
    return jobs.migrateJob(run.release(), command);
  }

  @Override
  void recordDone(Reconciliation run, String release, boolean ran) {
    run.updateInventory(i -> i.withMigratedRelease(release));
  }

  @Override
  String doneReason() {
    return "Migrated";
  }

  @Override
  String doneMessage(Reconciliation run) {
    return "commit " + run.spec().commit() + " migrated";
  }

  @Override
  String failedReason() {
    return "MigrationFailed";
  }
}
