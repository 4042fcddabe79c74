package dev.reviewapps.controller.leader;

import dev.reviewapps.consul.SessionRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LeaderElection} campaigns.
 *
 * @param key the lock key, {@code <prefix>/leader}
 * @param identity written as the lock's value so that operators see who leads (host name)
 * @param ttl the session TTL; renewed every {@code ttl/4}
 * @param lockDelay Consul's lock-delay after the session is invalidated
 */
public record LeaderSettings(String key, String identity, Duration ttl, Duration lockDelay) {

  public LeaderSettings {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(identity, "identity");
    // SessionRequest checks the ranges Consul accepts.
    new SessionRequest("check", ttl, lockDelay);
  }

  /** How often a session is renewed: four chances before the TTL runs out. */
  public Duration renewEvery() {
    return ttl.dividedBy(4);
  }

  /**
   * How long after the start of the last successful renewal a leader keeps working. Consul does not
   * invalidate a session before its TTL has passed since the last renewal reached it, so stopping
   * at three quarters of the TTL leaves a quarter for the work to stop.
   */
  public Duration stepDownAfter() {
    return ttl.multipliedBy(3).dividedBy(4);
  }
}
