package dev.reviewapps.devstack.aws.rds;

import java.time.Duration;

/**
 * How long each RDS transition takes. Real AWS takes minutes; tests want milliseconds.
 *
 * @param creating {@code creating} before {@code backing-up} (a new or restored instance)
 * @param backingUp {@code backing-up} before {@code available} (the first automated backup)
 * @param modifying {@code modifying} or {@code resetting-master-credentials} before {@code
 *     available}
 * @param deleting {@code deleting} before the instance is gone
 * @param snapshotting a snapshot's {@code creating} before {@code available}
 */
public record RdsTiming(
    Duration creating,
    Duration backingUp,
    Duration modifying,
    Duration deleting,
    Duration snapshotting) {

  /** Seconds, for the demo: slow enough to watch, fast enough not to wait. */
  public static RdsTiming demo() {
    return new RdsTiming(
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        Duration.ofSeconds(2));
  }

  /** Tens of milliseconds, for tests that still want to see every state. */
  public static RdsTiming fast() {
    Duration d = Duration.ofMillis(40);
    return new RdsTiming(d, d, d, d, d);
  }
}
