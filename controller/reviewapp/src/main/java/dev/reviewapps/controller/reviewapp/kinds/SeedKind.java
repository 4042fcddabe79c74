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
 * Seeded: the spec's seed command, once per app, after its first migration. Its job is named per
 * release, so a failed seed runs again when the spec brings a new release.
 */
public final class SeedKind extends ReleaseJobKind {

  @Inject
  SeedKind(
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown) {
    super(TaskRole.SEED, ConditionType.Seeded, providers, jobs, settings, teardown);
  }

  @Override
  boolean done(Reconciliation run, String release) {
    return run.inventory().seeded();
  }

  @Override
  Optional<String> command(Reconciliation run) {
    return run.spec().release().seed();
  }

  @Override
  Job job(Reconciliation run, String command) {
    return jobs.seedJob(run.release(), command);
  }

  @Override
  void recordDone(Reconciliation run, String release, boolean ran) {
    // Without a seed command nothing is recorded: a command added later still runs once.
    if (ran) {
      run.updateInventory(i -> i.withSeeded());
    }
  }

  @Override
  String doneReason() {
    return "Seeded";
  }

  @Override
  String doneMessage(Reconciliation run) {
    return "seed data loaded once";
  }

  @Override
  String failedReason() {
    return "SeedFailed";
  }
}
