package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.config.HttpSettings;
import dev.reviewapps.controller.config.ResilienceSettings;
import dev.reviewapps.controller.engine.EngineSettings;
import dev.reviewapps.controller.leader.LeaderSettings;

/** Binds the loaded configuration and each of its parts. */
public final class ConfigModule extends AbstractModule {
  private final ControllerConfig config;

  public ConfigModule(ControllerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ControllerConfig.class).toInstance(config);
    bind(ConsulEndpoint.class).toInstance(config.consul());
    bind(KeyLayout.class).toInstance(config.layout());
    bind(EngineSettings.class).toInstance(config.engine());
    bind(LeaderSettings.class).toInstance(config.leader());
    bind(HttpSettings.class).toInstance(config.http());
    bind(ResilienceSettings.class).toInstance(config.resilience());
  }
}
