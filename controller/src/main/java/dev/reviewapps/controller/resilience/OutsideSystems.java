package dev.reviewapps.controller.resilience;

import dev.reviewapps.controller.config.ResilienceSettings;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OutsideSystem} per system the controller talks to, from one set of settings, with
 * resilience4j's metrics ({@code resilience4j_retry_calls_total}, {@code
 * resilience4j_circuitbreaker_state}, ...) bound to the registry under the system's name.
 */
public final class OutsideSystems {
  /** The engine's own outside system; a domain registers its own names (see the constructor). */
  public static final String CONSUL = "consul";

  private final RetryRegistry retries;
  private final CircuitBreakerRegistry breakers;
  private final Map<String, OutsideSystem> systems = new ConcurrentHashMap<>();

  /**
   * @param known the systems whose guards (and metrics) exist from the start, besides {@value
   *     #CONSUL}; others are created on first use
   */
  public OutsideSystems(ResilienceSettings settings, MeterRegistry registry, Set<String> known) {
    retries =
        RetryRegistry.of(
            RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.retryWait(), 2.0))
                .ignoreExceptions(CallNotPermittedException.class, NotAnOutage.class)
                .build());
    breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRate())
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(Math.min(settings.window(), 10))
                .waitDurationInOpenState(settings.openFor())
                .ignoreExceptions(NotAnOutage.class)
                .build());
    TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    system(CONSUL);
    known.forEach(this::system);
  }

  /** The guard of {@code name}, created on first use. */
  public OutsideSystem system(String name) {
    return systems.computeIfAbsent(
        name, n -> new OutsideSystem(n, retries.retry(n), breakers.circuitBreaker(n)));
  }
}
