package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A global token bucket over all retries: {@code ratePerSecond} tokens a second, at most {@code
 * burst} saved up. Like Go's {@code rate.Limiter.Reserve}, a retry that finds no token is not
 * refused but told how long to wait, and the token is spent in advance. It keeps a storm of failing
 * names from hammering the outside systems all at once.
 */
public final class TokenBucket implements RateLimiter {
  private final double ratePerSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long lastNanos;

  public TokenBucket(double ratePerSecond, int burst) {
    this(ratePerSecond, burst, System::nanoTime);
  }

  TokenBucket(double ratePerSecond, int burst, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("need rate > 0 and burst >= 1");
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.lastNanos = nanoClock.getAsLong();
  }

  @Override
  public synchronized Duration when(String name) {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * ratePerSecond);
    lastNanos = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / ratePerSecond * 1e9));
  }

  @Override
  public void forget(String name) {}

  @Override
  public int retries(String name) {
    return 0;
  }
}
