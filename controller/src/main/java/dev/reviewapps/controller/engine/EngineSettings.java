package dev.reviewapps.controller.engine;

import dev.reviewapps.consul.KeyLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Engine} runs.
 *
 * @param controller the {@code controller} label of the metrics, e.g. {@code reviewapp}
 * @param layout where specs, status and inventory live in Consul KV
 * @param workers how many names are reconciled at once
 * @param backoffBase first retry delay of a failing name
 * @param backoffMax longest retry delay of a failing name
 * @param retryRate global retries per second (token bucket)
 * @param retryBurst retries the bucket saves up
 * @param watchWait the {@code wait} of the spec watch's blocking queries
 * @param resync how often every name is queued
 */
public record EngineSettings(
    String controller,
    KeyLayout layout,
    int workers,
    Duration backoffBase,
    Duration backoffMax,
    double retryRate,
    int retryBurst,
    Duration watchWait,
    Duration resync) {

  public EngineSettings {
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(watchWait, "watchWait");
    Objects.requireNonNull(resync, "resync");
  }
}
