package dev.reviewapps.controller.config;

import dev.reviewapps.controller.consul.ConsulEndpoint;
import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.LeaderSettings;
import dev.reviewapps.controller.engine.EngineSettings;
import java.time.Duration;

/**
 * Everything the controller process is configured with, validated. See {@link ConfigLoader} for the
 * file format, defaults and environment variables.
 */
public record ControllerConfig(
    ConsulEndpoint consul,
    KeyLayout layout,
    EngineSettings engine,
    LeaderSettings leader,
    HttpSettings http,
    ResilienceSettings resilience,
    Duration shutdownGrace,
    LogFormat logFormat) {}
