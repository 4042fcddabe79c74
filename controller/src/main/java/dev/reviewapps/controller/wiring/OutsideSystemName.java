package dev.reviewapps.controller.wiring;

import java.util.Objects;

/**
 * The name of an outside system a domain calls (review apps: {@code nomad}, {@code rds}, …), bound
 * into a Guice set so that its retry and circuit breaker, and their metrics, exist from the start
 * rather than from the first call. The engine registers {@code consul} itself.
 */
public record OutsideSystemName(String name) {
  public OutsideSystemName {
    Objects.requireNonNull(name, "name");
  }
}
