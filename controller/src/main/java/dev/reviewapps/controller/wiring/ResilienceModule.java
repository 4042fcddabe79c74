package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.reviewapps.controller.config.ResilienceSettings;
import dev.reviewapps.controller.resilience.OutsideSystems;
import io.micrometer.core.instrument.MeterRegistry;

/** Retry and circuit breaker per outside system, for every module that calls one. */
public final class ResilienceModule extends AbstractModule {

  @Provides
  @Singleton
  OutsideSystems outsideSystems(ResilienceSettings settings, MeterRegistry registry) {
    return new OutsideSystems(settings, registry);
  }
}
