package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.reviewapps.consul.ConsulApiSessions;
import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.Sessions;
import dev.reviewapps.controller.resilience.GuardedStore;
import dev.reviewapps.controller.resilience.OutsideSystems;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consul: the consul-api connection to the configured address (a real agent or the devstack
 * stand-in, the same code either way), the guarded {@link KeyValueStore} reconcilers and the status
 * writer use, and {@link Sessions} for leader election. Leader election uses the plain {@link
 * ConsulApiStore}: it keeps its own time and must not wait for retries.
 */
public final class ConsulModule extends AbstractModule {

  @Provides
  @Singleton
  ConsulConnection connection(ConsulEndpoint endpoint, MeterRegistry registry) {
    return new ConsulConnection(endpoint, registry);
  }

  @Provides
  @Singleton
  ConsulApiStore plainStore(ConsulConnection connection) {
    return new ConsulApiStore(connection);
  }

  @Provides
  @Singleton
  KeyValueStore store(ConsulApiStore plain, OutsideSystems systems) {
    return new GuardedStore(plain, systems.system(OutsideSystems.CONSUL));
  }

  @Provides
  @Singleton
  Sessions sessions(ConsulConnection connection) {
    return new ConsulApiSessions(connection);
  }
}
