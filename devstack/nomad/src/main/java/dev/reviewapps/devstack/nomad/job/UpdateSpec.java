package dev.reviewapps.devstack.nomad.job;

import java.time.Duration;

/**
 * A task group's {@code update} block, the part the stand-in acts on: {@code canary} new
 * allocations start beside the old ones when the group changes, and the old ones stop only once the
 * deployment is promoted ({@code auto_promote} false). An allocation of the deployment that is not
 * healthy within {@code healthyDeadline} is unhealthy and fails the deployment; healthy means
 * running with passing checks for {@code minHealthyTime}.
 */
public record UpdateSpec(
    int canary, boolean autoPromote, Duration minHealthyTime, Duration healthyDeadline) {

  /** Nomad's default {@code healthy_deadline}. */
  public static final Duration DEFAULT_HEALTHY_DEADLINE = Duration.ofMinutes(5);

  /** Nomad's default {@code min_healthy_time}. */
  public static final Duration DEFAULT_MIN_HEALTHY_TIME = Duration.ofSeconds(10);
}
