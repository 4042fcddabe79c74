package dev.reviewapps.devstack.aws.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The fault rules in force, one per target; thread-safe. */
public final class Faults {
  private record Armed(FaultRule rule, Optional<AtomicLong> remaining) {}

  private final Map<String, Armed> rules = new ConcurrentHashMap<>();
  private final Random random;

  /**
   * @param seed makes the shares reproducible from run to run
   */
  public Faults(long seed) {
    this.random = new Random(seed);
  }

  /** Adds a rule, replacing any for the same target. */
  public void set(FaultRule rule) {
    rules.put(
        rule.target(),
        new Armed(rule, rule.times().stream().mapToObj(AtomicLong::new).findFirst()));
  }

  /** Removes the rule of a target. */
  public void remove(String target) {
    rules.remove(target);
  }

  /** Removes every rule. */
  public void clear() {
    rules.clear();
  }

  /** The rules in force, with the calls left where limited. */
  public List<FaultRule> rules() {
    return rules.values().stream()
        .map(
            a ->
                a.remaining().isPresent()
                    ? a.rule().times(Math.max(0, a.remaining().get().get()))
                    : a.rule())
        .sorted(java.util.Comparator.comparing(FaultRule::target))
        .toList();
  }

  /**
   * Decides the fate of one call.
   *
   * @param service {@code rds}, {@code autoscaling} or {@code s3}
   * @param action the action or S3 operation, e.g. {@code PutObject}
   */
  public FaultOutcome decide(String service, String action) {
    Armed armed = rules.get(service + ":" + action);
    if (armed == null) {
      armed = rules.get(service + ":*");
    }
    if (armed == null) {
      armed = rules.get("*");
    }
    if (armed == null) {
      return new FaultOutcome.Serve(Duration.ZERO);
    }
    FaultRule rule = armed.rule();
    double roll;
    synchronized (random) {
      roll = random.nextDouble();
    }
    FaultOutcome outcome =
        roll < rule.throttleShare()
            ? new FaultOutcome.Throttle(rule.latency())
            : roll < rule.throttleShare() + rule.errorShare()
                ? new FaultOutcome.ServerError(rule.latency(), rule.errorStatus())
                : new FaultOutcome.Serve(rule.latency());
    boolean affected = !(outcome instanceof FaultOutcome.Serve) || !rule.latency().isZero();
    if (affected && armed.remaining().isPresent()) {
      long left = armed.remaining().get().decrementAndGet();
      if (left < 0) {
        rules.remove(rule.target(), armed);
        return new FaultOutcome.Serve(Duration.ZERO);
      }
      if (left == 0) {
        rules.remove(rule.target(), armed);
      }
    }
    return outcome;
  }
}
