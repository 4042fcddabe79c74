package dev.reviewapps.controller.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The retry and circuit breaker of one outside system. A call is retried as a whole, and each
 * attempt passes the breaker, so that an open breaker stops retries at once (its refusal, {@code
 * CallNotPermittedException}, is not retried).
 */
public final class OutsideSystem {
  private final String name;
  private final Retry retry;
  private final CircuitBreaker breaker;

  OutsideSystem(String name, Retry retry, CircuitBreaker breaker) {
    this.name = Objects.requireNonNull(name, "name");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
  }

  /** Calls {@code call} through retry and breaker. */
  public <T> T call(Supplier<T> call) {
    return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call)).get();
  }

  /** Runs {@code action} through retry and breaker. */
  public void run(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /** The system's name, the {@code name} label of the resilience4j metrics. */
  public String name() {
    return name;
  }

  /** The breaker, for health checks and tests. */
  public CircuitBreaker breaker() {
    return breaker;
  }
}
