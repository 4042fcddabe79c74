package dev.reviewapps.devstack.aws.autoscaling;

import java.time.Duration;

/**
 * How long instances take to join and to leave a group.
 *
 * @param launch {@code Pending} before {@code InService}
 * @param terminate {@code Terminating} before the instance is gone from the group
 */
public record AutoScalingTiming(Duration launch, Duration terminate) {

  /** Seconds, for the demo. */
  public static AutoScalingTiming demo() {
    return new AutoScalingTiming(Duration.ofSeconds(4), Duration.ofSeconds(2));
  }

  /** Tens of milliseconds, for tests. */
  public static AutoScalingTiming fast() {
    return new AutoScalingTiming(Duration.ofMillis(40), Duration.ofMillis(40));
  }
}
