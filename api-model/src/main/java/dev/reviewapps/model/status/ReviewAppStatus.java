package dev.reviewapps.model.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The observed state of one review app. {@code observedIndex} is the Consul {@code ModifyIndex} of
 * the spec this status reflects (Kubernetes' observedGeneration). Conditions hold at most one entry
 * per type, kept in {@link ConditionType} order so that written JSON is stable. {@code timings}
 * holds the step durations of the current rollout, {@code cost} what the app costs.
 *
 * <p>Immutable: the {@code with...} methods return a changed copy.
 */
public record ReviewAppStatus(
    Phase phase,
    long observedIndex,
    Optional<String> url,
    List<Condition> conditions,
    Optional<String> lastError,
    Optional<Instant> expiresAt,
    Optional<String> message,
    Map<ConditionType, Duration> timings,
    Optional<Cost> cost,
    List<Rollout> rollouts) {

  /** How many rollouts status keeps, newest first. */
  public static final int ROLLOUTS_KEPT = 5;

  public ReviewAppStatus {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(message, "message");
    conditions = inTypeOrder(conditions);
    Map<ConditionType, Duration> ordered = new EnumMap<>(ConditionType.class);
    ordered.putAll(Objects.requireNonNull(timings, "timings"));
    timings = Collections.unmodifiableMap(ordered);
    Objects.requireNonNull(cost, "cost");
    rollouts = List.copyOf(rollouts);
  }

  /** The status of an app that was just seen: Pending, nothing else known. */
  public static ReviewAppStatus pending(long observedIndex) {
    return new ReviewAppStatus(
        Phase.Pending,
        observedIndex,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        List.of());
  }

  /** The condition of the given type, if it was ever set. */
  public Optional<Condition> condition(ConditionType type) {
    return conditions.stream().filter(c -> c.type() == type).findFirst();
  }

  /**
   * The controller's reason for refusing the spec at {@code specIndex}, when this status was
   * written for it (or a later one) with {@code Valid} False. An invalid update leaves the app
   * running its last valid spec, in whatever phase that one is: a phase of Ready does not mean the
   * spec at {@code specIndex} runs.
   */
  public Optional<String> rejection(long specIndex) {
    return condition(ConditionType.Valid)
        .filter(c -> observedIndex >= specIndex && c.status() == ConditionStatus.False)
        .map(Condition::message);
  }

  /** True when the condition of the given type is set and True. */
  public boolean isTrue(ConditionType type) {
    return condition(type).map(c -> c.status() == ConditionStatus.True).orElse(false);
  }

  /**
   * Sets a condition. {@code lastTransitionTime} stays as it was unless the status flips (or the
   * condition is new), in which case it becomes {@code now}: reason and message may change on every
   * reconcile without making the condition look fresh.
   */
  public ReviewAppStatus withCondition(
      ConditionType type, ConditionStatus status, String reason, String message, Instant now) {
    Instant since =
        condition(type)
            .filter(old -> old.status() == status)
            .map(Condition::lastTransitionTime)
            .orElse(now);
    List<Condition> next = new ArrayList<>(conditions.size() + 1);
    conditions.stream().filter(c -> c.type() != type).forEach(next::add);
    next.add(new Condition(type, status, reason, message, since));
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        next,
        lastError,
        expiresAt,
        this.message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withPhase(Phase phase) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withObservedIndex(long observedIndex) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withUrl(Optional<String> url) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withLastError(Optional<String> lastError) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withExpiresAt(Optional<Instant> expiresAt) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  /**
   * How long each step took in the current rollout: from the first reconcile that ran it for this
   * spec version to the one that found it ready (in {@link ConditionType} order).
   */
  public ReviewAppStatus withTimings(Map<ConditionType, Duration> timings) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  public ReviewAppStatus withMessage(Optional<String> message) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  /** What the app costs (dollars per hour and to date), as the controller last worked it out. */
  public ReviewAppStatus withCost(Optional<Cost> cost) {
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  /**
   * Records this reconcile in the rollout history: a {@code revision} other than the newest
   * rollout's starts a new one (an unfinished one before it becomes {@code Superseded}); the newest
   * then takes this status's timings and ends {@code Ready} or {@code Failed} with its phase. Call
   * it after phase, lastError and timings are set.
   */
  public ReviewAppStatus withRolloutOf(String revision, String commit, Instant now) {
    List<Rollout> next = new ArrayList<>(rollouts);
    Rollout newest = next.isEmpty() ? null : next.get(0);
    if (newest == null || !newest.revision().equals(revision)) {
      if (newest != null && newest.outcome() == Rollout.Outcome.InProgress) {
        next.set(0, newest.ended(Rollout.Outcome.Superseded, "", now));
      }
      newest = Rollout.started(revision, commit, now);
      next.add(0, newest);
    }
    Rollout updated = newest.withTimings(timings);
    if (phase == Phase.Ready && newest.outcome() != Rollout.Outcome.Ready) {
      updated = updated.ended(Rollout.Outcome.Ready, "", now);
    } else if (phase == Phase.Failed && newest.outcome() == Rollout.Outcome.InProgress) {
      updated = updated.ended(Rollout.Outcome.Failed, lastError.orElse(""), now);
    }
    next.set(0, updated);
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        next.subList(0, Math.min(next.size(), ROLLOUTS_KEPT)));
  }

  private static List<Condition> inTypeOrder(List<Condition> conditions) {
    List<Condition> sorted = new ArrayList<>(Objects.requireNonNull(conditions, "conditions"));
    sorted.sort(Comparator.comparing(Condition::type));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).type() == sorted.get(i - 1).type()) {
        throw new IllegalArgumentException("two conditions of type " + sorted.get(i).type());
      }
    }
    return List.copyOf(sorted);
  }
}
