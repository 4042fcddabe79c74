package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.List;

/**
 * The larger delay of several limiters, as controller-runtime's default limiter combines a per-item
 * exponential backoff with a global token bucket. Every limiter is asked on each call, so each one
 * counts the failure.
 */
public final class MaxOfRateLimiter implements RateLimiter {
  private final List<RateLimiter> limiters;

  public MaxOfRateLimiter(List<RateLimiter> limiters) {
    if (limiters.isEmpty()) {
      throw new IllegalArgumentException("at least one limiter");
    }
    this.limiters = List.copyOf(limiters);
  }

  /** Per-name exponential backoff from {@code base} to {@code max}, and a global token bucket. */
  public static MaxOfRateLimiter standard(
      Duration base, Duration max, double ratePerSecond, int burst) {
    return new MaxOfRateLimiter(
        List.of(new ExponentialBackoff(base, max), new TokenBucket(ratePerSecond, burst)));
  }

  @Override
  public Duration when(String name) {
    Duration longest = Duration.ZERO;
    for (RateLimiter limiter : limiters) {
      Duration d = limiter.when(name);
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  @Override
  public void forget(String name) {
    limiters.forEach(l -> l.forget(name));
  }

  @Override
  public int retries(String name) {
    return limiters.stream().mapToInt(l -> l.retries(name)).max().orElse(0);
  }
}
