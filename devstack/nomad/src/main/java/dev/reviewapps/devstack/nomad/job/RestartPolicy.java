package dev.reviewapps.devstack.nomad.job;

import java.time.Duration;

/**
 * Nomad's {@code restart} block.
 *
 * @param attempts restarts allowed within {@code interval}
 * @param interval the window the attempts are counted in
 * @param delay the wait before each restart
 * @param mode {@code fail} (give up once attempts are used) or {@code delay} (wait for the next
 *     interval and carry on)
 */
public record RestartPolicy(int attempts, Duration interval, Duration delay, String mode) {
  /** Nomad's default for service jobs. */
  public static RestartPolicy serviceDefault() {
    return new RestartPolicy(2, Duration.ofMinutes(30), Duration.ofSeconds(15), "fail");
  }

  /** Nomad's default for batch jobs. */
  public static RestartPolicy batchDefault() {
    return new RestartPolicy(3, Duration.ofHours(24), Duration.ofSeconds(15), "fail");
  }
}
