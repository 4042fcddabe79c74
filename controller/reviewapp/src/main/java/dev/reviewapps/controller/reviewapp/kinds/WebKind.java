package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;

/**
 * WebReady: the web process, started beside the old release's and promoted once healthy; its
 * addresses go to the route.
 */
public final class WebKind extends ProcessKind {

  @Inject
  WebKind(ReviewAppProviders providers, ReviewAppJobs jobs, ReviewAppSettings settings) {
    super(TaskRole.WEB, providers.nomad(), jobs, settings.recheck());
  }
}
