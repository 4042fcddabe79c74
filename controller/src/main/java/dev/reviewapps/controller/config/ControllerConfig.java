package dev.reviewapps.controller.config;

import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.engine.EngineSettings;
import dev.reviewapps.controller.leader.LeaderSettings;
import java.time.Duration;

/**
 * Everything the controller process is configured with, validated. See {@link ConfigLoader} for the
 * file format, defaults and environment variables; {@link #sections()} holds what other modules'
 * {@link ConfigSection}s parsed.
 */
public record ControllerConfig(
    ConsulEndpoint consul,
    KeyLayout layout,
    EngineSettings engine,
    LeaderSettings leader,
    HttpSettings http,
    ResilienceSettings resilience,
    Duration shutdownGrace,
    LogFormat logFormat,
    ConfigSections sections) {

  /** The engine's settings alone, without sections (tests of the engine). */
  public ControllerConfig(
      ConsulEndpoint consul,
      KeyLayout layout,
      EngineSettings engine,
      LeaderSettings leader,
      HttpSettings http,
      ResilienceSettings resilience,
      Duration shutdownGrace,
      LogFormat logFormat) {
    this(
        consul,
        layout,
        engine,
        leader,
        http,
        resilience,
        shutdownGrace,
        logFormat,
        ConfigSections.NONE);
  }
}
