package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.reviewapps.controller.config.ResilienceSettings;
import dev.reviewapps.controller.resilience.OutsideSystems;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Retry and circuit breaker per outside system, for every module that calls one; the systems a
 * domain calls are the {@link OutsideSystemName}s it binds.
 */
public final class ResilienceModule extends AbstractModule {

  @Provides
  @Singleton
  OutsideSystems outsideSystems(
      ResilienceSettings settings, MeterRegistry registry, Set<OutsideSystemName> known) {
    return new OutsideSystems(
        settings,
        registry,
        known.stream().map(OutsideSystemName::name).collect(Collectors.toSet()));
  }
}
