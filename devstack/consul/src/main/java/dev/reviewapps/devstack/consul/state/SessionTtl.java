package dev.reviewapps.devstack.consul.state;

import java.time.Duration;

/**
 * A session's TTL as the client wrote it (Consul echoes the text, e.g. {@code "15s"}) and as a
 * duration.
 */
public record SessionTtl(String text, Duration duration) {
  /**
   * Consul's {@code SessionTTLMultiplier}: the leader invalidates a session only after twice its
   * TTL without a renewal. The stand-in does the same, at exactly twice the TTL.
   */
  public static final int MULTIPLIER = 2;

  /** When the session is invalidated, counted from its creation or last renewal. */
  public Duration invalidateAfter() {
    return duration.multipliedBy(MULTIPLIER);
  }
}
