package dev.reviewapps.model.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One rollout of an app: one valid spec value (its {@code revision}, a short hash of the applied
 * spec) from the first reconcile that ran it to ready, failure, or the next rollout. An invalid
 * update that leaves the last good spec running, a sleep and a wake are no new rollout.
 *
 * @param message why it failed, empty otherwise
 * @param timings how long each step took, as in the status's {@code timings}
 */
public record Rollout(
    String revision,
    String commit,
    Instant startedAt,
    Outcome outcome,
    Optional<Instant> finishedAt,
    String message,
    Map<ConditionType, Duration> timings) {

  /** Where a rollout ended, or that it has not yet. */
  public enum Outcome {
    InProgress,
    Ready,
    Failed,
    /** A newer spec was rolled out before this one was ready. */
    Superseded
  }

  public Rollout {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(message, "message");
    Map<ConditionType, Duration> ordered = new EnumMap<>(ConditionType.class);
    ordered.putAll(Objects.requireNonNull(timings, "timings"));
    timings = Collections.unmodifiableMap(ordered);
  }

  static Rollout started(String revision, String commit, Instant now) {
    return new Rollout(revision, commit, now, Outcome.InProgress, Optional.empty(), "", Map.of());
  }

  /** Longest failure reason kept per rollout: five of them live in every status. */
  static final int MAX_MESSAGE = 500;

  Rollout ended(Outcome outcome, String message, Instant now) {
    String kept =
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    return new Rollout(revision, commit, startedAt, outcome, Optional.of(now), kept, timings);
  }

  Rollout withTimings(Map<ConditionType, Duration> timings) {
    return new Rollout(revision, commit, startedAt, outcome, finishedAt, message, timings);
  }
}
