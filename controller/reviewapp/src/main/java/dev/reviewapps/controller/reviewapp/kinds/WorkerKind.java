package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;

/** WorkerReady: the worker process, when the spec has one. */
public final class WorkerKind extends ProcessKind {

  @Inject
  WorkerKind(ReviewAppProviders providers, ReviewAppJobs jobs, ReviewAppSettings settings) {
    super(TaskRole.WORKER, providers.nomad(), jobs, settings.recheck());
  }
}
