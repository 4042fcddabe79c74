package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void perNameBackoffDoublesUpToTheCapAndIsForgottenOnSuccess() {
    ExponentialBackoff backoff =
        new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    assertThat(backoff.when("a")).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.when("b")).as("each name counts alone").isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      backoff.when("a");
    }
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMinutes(5));

    backoff.forget("a");
    assertThat(backoff.retries("a")).isZero();
    assertThat(backoff.when("a")).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void tokenBucketLetsABurstThroughThenSpacesRetriesByTheRate() {
    AtomicLong nanos = new AtomicLong();
    TokenBucket bucket = new TokenBucket(10, 2, nanos::get);

    assertThat(bucket.when("a")).isZero();
    assertThat(bucket.when("b")).isZero();
    assertThat(bucket.when("c")).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.when("d")).isEqualTo(Duration.ofMillis(200));

    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(bucket.when("e")).as("refilled, but never beyond the burst").isZero();
    assertThat(bucket.when("f")).isZero();
    assertThat(bucket.when("g")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theRetryDelayIsTheLargerOfBackoffAndBucket() {
    AtomicLong nanos = new AtomicLong();
    MaxOfRateLimiter limiter =
        new MaxOfRateLimiter(
            List.of(
                new ExponentialBackoff(Duration.ofMillis(10), Duration.ofSeconds(10)),
                new TokenBucket(1, 1, nanos::get)));

    assertThat(limiter.when("a")).as("backoff 10 ms, bucket 0").isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.when("b")).as("backoff 10 ms, bucket 1 s").isEqualTo(Duration.ofSeconds(1));
    nanos.addAndGet(Duration.ofSeconds(60).toNanos());
    for (int i = 0; i < 12; i++) {
      limiter.when("a");
      nanos.addAndGet(Duration.ofSeconds(60).toNanos());
    }
    assertThat(limiter.when("a"))
        .as("backoff capped at 10 s, bucket full")
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(limiter.retries("a")).isEqualTo(14);

    limiter.forget("a");
    assertThat(limiter.retries("a")).isZero();
  }
}
