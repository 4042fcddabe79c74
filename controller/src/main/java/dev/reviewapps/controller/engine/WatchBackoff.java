package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay before a watch asks Consul again after {@code failures} failed calls in a row: an
 * exponential backoff from {@code base} to {@code max} with "equal jitter" (half fixed, half
 * random), so that several controllers do not retry in step.
 */
record WatchBackoff(Duration base, Duration max) {

  Duration after(int failures) {
    long cap = max.toMillis();
    long exp = failures >= 30 ? cap : Math.min(cap, base.toMillis() << Math.max(0, failures - 1));
    long half = exp / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }
}
