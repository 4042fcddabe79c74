package dev.reviewapps.controller.engine;

import java.time.Duration;

/**
 * How long a name waits before it is retried after a failure, in the manner of client-go's
 * workqueue rate limiters.
 */
public interface RateLimiter {

  /** The delay before the next retry of {@code name}; each call counts one more failure. */
  Duration when(String name);

  /** Forgets the failures of {@code name}, after a success. */
  void forget(String name);

  /** How many failures of {@code name} are being remembered. */
  int retries(String name);
}
