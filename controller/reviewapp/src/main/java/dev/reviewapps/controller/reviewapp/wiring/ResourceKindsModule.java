package dev.reviewapps.controller.reviewapp.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.kinds.AssetsKind;
import dev.reviewapps.controller.reviewapp.kinds.CapacityKind;
import dev.reviewapps.controller.reviewapp.kinds.DatabaseKind;
import dev.reviewapps.controller.reviewapp.kinds.MigrateKind;
import dev.reviewapps.controller.reviewapp.kinds.PredestroyKind;
import dev.reviewapps.controller.reviewapp.kinds.RedisKind;
import dev.reviewapps.controller.reviewapp.kinds.RouteKind;
import dev.reviewapps.controller.reviewapp.kinds.SeedKind;
import dev.reviewapps.controller.reviewapp.kinds.WebKind;
import dev.reviewapps.controller.reviewapp.kinds.WorkerKind;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The resource kinds of a review app, in the order the reconciler ensures them; the teardown
 * deletes them in the reverse order, and the orphan sweep asks each. A Guice set keeps the order of
 * its bindings, so this list is the order. Where a kind goes follows from what it needs: the
 * database before the jobs that get its URL, the predestroy command after migrate and seed (so it
 * runs while Redis and the database are still there, once web and worker no longer change), the
 * route last (and first to go).
 *
 * <p>A new kind (an ElastiCache cluster, a DNS record) is one class implementing {@link
 * ResourceKind} and one line here; see the README.
 */
public final class ResourceKindsModule extends AbstractModule {

  /** The set of kinds, in binding order. */
  public static final Key<Set<ResourceKind>> KINDS =
      Key.get(new TypeLiteral<Set<ResourceKind>>() {});

  @Override
  protected void configure() {
    Multibinder<ResourceKind> kinds = Multibinder.newSetBinder(binder(), ResourceKind.class);
    kinds.addBinding().to(AssetsKind.class);
    kinds.addBinding().to(DatabaseKind.class);
    kinds.addBinding().to(CapacityKind.class);
    kinds.addBinding().to(RedisKind.class);
    kinds.addBinding().to(PredestroyKind.class);
    kinds.addBinding().to(MigrateKind.class);
    kinds.addBinding().to(SeedKind.class);
    kinds.addBinding().to(WebKind.class);
    kinds.addBinding().to(WorkerKind.class);
    kinds.addBinding().to(RouteKind.class);
  }

  /**
   * The kinds as the controller binds them, over the given systems and settings: for a reconciler,
   * teardown or sweep built without the controller's injector (tests, benchmarks).
   *
   * @param additions modules that bind more kinds into the same set (after these)
   */
  public static List<ResourceKind> standard(
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      DatabaseSettings databases,
      ReviewAppSettings settings,
      TeardownSettings teardown,
      CapacitySizer sizer,
      MeterRegistry registry,
      Clock clock,
      Module... additions) {
    // The standard kinds first: the set iterates in binding order.
    List<Module> modules = new ArrayList<>(List.of(new ResourceKindsModule()));
    modules.add(
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(ReviewAppProviders.class).toInstance(providers);
            bind(ReviewAppJobs.class).toInstance(jobs);
            bind(DatabaseSettings.class).toInstance(databases);
            bind(ReviewAppSettings.class).toInstance(settings);
            bind(TeardownSettings.class).toInstance(teardown);
            bind(CapacitySizer.class).toInstance(sizer);
            bind(MeterRegistry.class).toInstance(registry);
            bind(Clock.class).toInstance(clock);
          }
        });
    modules.addAll(List.of(additions));
    return List.copyOf(Guice.createInjector(modules).getInstance(KINDS));
  }
}
