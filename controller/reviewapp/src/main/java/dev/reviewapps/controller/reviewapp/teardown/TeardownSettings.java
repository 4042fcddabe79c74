package dev.reviewapps.controller.reviewapp.teardown;

import java.time.Duration;
import java.util.Objects;

/**
 * How apps are torn down.
 *
 * @param finalSnapshot whether a dedicated RDS instance is deleted with a final snapshot ({@code
 *     <instance>-final-<teardown start, UTC>}) or without one
 * @param predestroyAttempts how many times a failing predestroy command is started before the
 *     teardown goes on without it
 * @param predestroyTimeout how long one predestroy attempt may run before it counts as failed
 * @param holdRecheck how soon a teardown the gate holds back asks again
 * @param recheck how soon a teardown waiting for Nomad (allocations ending, predestroy running)
 *     looks again
 * @param rdsRecheck how soon a teardown waiting for an RDS instance to be deleted looks again
 */
public record TeardownSettings(
    boolean finalSnapshot,
    int predestroyAttempts,
    Duration predestroyTimeout,
    Duration holdRecheck,
    Duration recheck,
    Duration rdsRecheck) {

  public TeardownSettings {
    if (predestroyAttempts < 1) {
      throw new IllegalArgumentException("predestroyAttempts must be at least 1");
    }
    Objects.requireNonNull(predestroyTimeout, "predestroyTimeout");
    Objects.requireNonNull(holdRecheck, "holdRecheck");
    Objects.requireNonNull(recheck, "recheck");
    Objects.requireNonNull(rdsRecheck, "rdsRecheck");
  }

  /**
   * No final snapshot, 3 predestroy attempts of at most 10 minutes each, a held teardown asks again
   * every 30 s; Nomad and RDS are looked at again after the given delays.
   */
  public static TeardownSettings defaults(Duration recheck, Duration rdsRecheck) {
    return new TeardownSettings(
        false, 3, Duration.ofMinutes(10), Duration.ofSeconds(30), recheck, rdsRecheck);
  }

  public TeardownSettings withFinalSnapshot(boolean value) {
    return new TeardownSettings(
        value, predestroyAttempts, predestroyTimeout, holdRecheck, recheck, rdsRecheck);
  }

  public TeardownSettings withPredestroy(int attempts, Duration timeout) {
    return new TeardownSettings(finalSnapshot, attempts, timeout, holdRecheck, recheck, rdsRecheck);
  }

  public TeardownSettings withHoldRecheck(Duration value) {
    return new TeardownSettings(
        finalSnapshot, predestroyAttempts, predestroyTimeout, value, recheck, rdsRecheck);
  }
}
