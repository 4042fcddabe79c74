package dev.reviewapps.devstack.aws.faults;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What to do to the calls of one target.
 *
 * @param target {@code service:Action} ({@code rds:CreateDBInstance}), {@code service:*} or {@code
 *     *}; the most specific rule that matches a call applies
 * @param throttleShare the share of calls (0..1) answered as throttled ({@code Throttling} for RDS
 *     and Auto Scaling, {@code SlowDown} for S3)
 * @param errorShare the share of calls (0..1) answered with {@code errorStatus}
 * @param errorStatus 500 ({@code InternalFailure}/{@code InternalError}) or 503 ({@code
 *     ServiceUnavailable})
 * @param latency added before every matching call is answered
 * @param times how many calls the rule affects before it removes itself; empty for no limit
 */
public record FaultRule(
    String target,
    double throttleShare,
    double errorShare,
    int errorStatus,
    Duration latency,
    OptionalLong times) {

  public FaultRule {
    if (throttleShare < 0 || throttleShare > 1 || errorShare < 0 || errorShare > 1) {
      throw new IllegalArgumentException("shares are between 0 and 1");
    }
    if (throttleShare + errorShare > 1) {
      throw new IllegalArgumentException("throttle and error shares add up to more than 1");
    }
    if (errorStatus != 500 && errorStatus != 503) {
      throw new IllegalArgumentException("errorStatus is 500 or 503");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency is not negative");
    }
  }

  /** Every call of the target throttled. */
  public static FaultRule throttle(String target) {
    return new FaultRule(target, 1, 0, 500, Duration.ZERO, OptionalLong.empty());
  }

  /** Every call of the target answered with a 5xx status. */
  public static FaultRule error(String target, int status) {
    return new FaultRule(target, 0, 1, status, Duration.ZERO, OptionalLong.empty());
  }

  /** Every call of the target delayed. */
  public static FaultRule latency(String target, Duration latency) {
    return new FaultRule(target, 0, 0, 500, latency, OptionalLong.empty());
  }

  /** This rule, limited to the next {@code n} calls it affects. */
  public FaultRule times(long n) {
    return new FaultRule(
        target, throttleShare, errorShare, errorStatus, latency, OptionalLong.of(n));
  }

  /** This rule applied to a share of calls instead of all. */
  public FaultRule share(double share) {
    return new FaultRule(
        target,
        throttleShare > 0 ? share : 0,
        errorShare > 0 ? share : 0,
        errorStatus,
        latency,
        times);
  }
}
