package dev.reviewapps.consul;

import java.time.Duration;
import java.util.Objects;

/**
 * A Consul session for a lock: invalidated {@code ttl} after the last renewal (Consul may take up
 * to twice as long), after which nobody may take its locks for {@code lockDelay}. Behaviour is
 * always {@code release}: the lock key stays, only unlocked.
 */
public record SessionRequest(String name, Duration ttl, Duration lockDelay) {

  public SessionRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(lockDelay, "lockDelay");
    // Consul's own floor is its session_ttl_min setting (10 s unless configured otherwise).
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("session TTL must be between 1s and 24h, got " + ttl);
    }
    if (lockDelay.isNegative() || lockDelay.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("lock-delay must be between 0 and 60s, got " + lockDelay);
    }
  }
}
