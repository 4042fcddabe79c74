package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-name exponential backoff: {@code base * 2^failures}, capped at {@code max}. Each name keeps
 * its own count, so one broken app does not slow down the others.
 */
public final class ExponentialBackoff implements RateLimiter {
  private final Duration base;
  private final Duration max;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public ExponentialBackoff(Duration base, Duration max) {
    this.base = Objects.requireNonNull(base, "base");
    this.max = Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + " and " + max);
    }
  }

  @Override
  public Duration when(String name) {
    int exponent = failures.merge(name, 1, Integer::sum) - 1;
    // Beyond 2^62 nanoseconds the product overflows; long before that the cap applies.
    if (exponent >= 62 || base.toNanos() > (max.toNanos() >> exponent)) {
      return max;
    }
    return base.multipliedBy(1L << exponent);
  }

  @Override
  public void forget(String name) {
    failures.remove(name);
  }

  @Override
  public int retries(String name) {
    return failures.getOrDefault(name, 0);
  }
}
