package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.wiring.ResourceKindsModule;
import dev.reviewapps.model.naming.HostTemplate;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The reconciler of one controller process with the teardown as its absent-spec hook, over the
 * world's stores: building a second one is what a restarted controller does.
 */
record TearingDownController(ReviewAppReconciler reconciler, SimpleMeterRegistry registry) {

  static final HostTemplate HOSTS = new HostTemplate("{name}.review.test");

  /**
   * @param recheck how soon waiting steps and stages look again
   */
  static TearingDownController build(
      ReviewAppWorld world,
      ReviewAppProviders providers,
      TeardownSettings settings,
      TeardownGate gate,
      Teardown.StageObserver observer,
      Duration recheck) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()));
    ReviewAppSettings appSettings =
        new ReviewAppSettings(
            HOSTS, "http", recheck, Duration.ofSeconds(30), java.util.Optional.empty());
    DatabaseSettings databases = DatabaseSettings.shared(world.sharedEndpoint());
    List<ResourceKind> kinds =
        ResourceKindsModule.standard(
            providers,
            jobs,
            databases,
            appSettings,
            settings,
            CapacitySizer.inline(providers.capacity(), new InventoryStore(world.kv, world.layout)),
            registry,
            Clock.systemUTC());
    Teardown teardown =
        new Teardown(
            world.kv, world.layout, kinds, settings, gate, registry, Clock.systemUTC(), observer);
    ReviewAppReconciler reconciler =
        new ReviewAppReconciler(
            world.kv,
            world.layout,
            kinds,
            jobs,
            databases,
            appSettings,
            registry,
            Clock.systemUTC(),
            teardown,
            ReviewAppReconciler.StepObserver.NONE,
            ReviewAppReconciler.Policies.NONE);
    return new TearingDownController(reconciler, registry);
  }

  /** The count of {@code review_apps_predestroy_total{outcome}}. */
  double predestroys(String outcome) {
    return registry.get("review_apps_predestroy").tag("outcome", outcome).counter().count();
  }

  /** The count of {@code review_apps_teardowns_total{result}}. */
  double teardowns(String result) {
    return registry.get("review_apps_teardowns").tag("result", result).counter().count();
  }

  /** The {@code review_apps} gauge for one phase: apps in it, as this controller saw them. */
  double apps(Phase phase) {
    return registry.get("review_apps").tag("phase", phase.name()).gauge().value();
  }
}
