package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.reviewapps.controller.engine.EngineSettings;
import dev.reviewapps.controller.metrics.MetricsRegistry;
import dev.reviewapps.controller.metrics.ReconcileMeters;
import dev.reviewapps.controller.metrics.WorkQueueMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The one Prometheus registry of the process and the engine's meters. */
public final class MetricsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(MeterRegistry.class).to(PrometheusMeterRegistry.class);
  }

  @Provides
  @Singleton
  PrometheusMeterRegistry registry() {
    return MetricsRegistry.create();
  }

  @Provides
  @Singleton
  ReconcileMeters reconcileMeters(PrometheusMeterRegistry registry, EngineSettings engine) {
    return new ReconcileMeters(registry, engine.controller(), engine.workers());
  }

  @Provides
  @Singleton
  WorkQueueMeters workQueueMeters(PrometheusMeterRegistry registry, EngineSettings engine) {
    return new WorkQueueMeters(registry, engine.controller());
  }
}
