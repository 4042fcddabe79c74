package dev.reviewapps.client.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far the teardown of an app has come, kept in its inventory so that a resumed (or freshly
 * started) controller goes on where it stopped: it never asks the mass-deletion guard again, and it
 * never runs a predestroy command that already ended once more.
 *
 * @param since when the teardown began (its duration is measured from here, across restarts)
 * @param predestroyAttempts how many times the predestroy job was started
 * @param predestroyStarted when the attempt under way was started; empty when none runs
 * @param predestroy how the predestroy command ended, once it did
 */
public record TeardownProgress(
    Instant since,
    int predestroyAttempts,
    Optional<Instant> predestroyStarted,
    Optional<PredestroyOutcome> predestroy) {

  public TeardownProgress {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(predestroyStarted, "predestroyStarted");
    Objects.requireNonNull(predestroy, "predestroy");
  }

  /** A teardown that has just begun. */
  public static TeardownProgress begun(Instant since) {
    return new TeardownProgress(since, 0, Optional.empty(), Optional.empty());
  }

  /** Another attempt of the predestroy job starts now. */
  public TeardownProgress predestroyAttempt(Instant now) {
    return new TeardownProgress(since, predestroyAttempts + 1, Optional.of(now), predestroy);
  }

  /** The attempt under way ended without success; the next one has not started. */
  public TeardownProgress predestroyAttemptEnded() {
    return new TeardownProgress(since, predestroyAttempts, Optional.empty(), predestroy);
  }

  /** The predestroy command is finished with, for good. */
  public TeardownProgress predestroyEnded(PredestroyOutcome outcome) {
    return new TeardownProgress(since, predestroyAttempts, Optional.empty(), Optional.of(outcome));
  }

  /** How the predestroy command ended. */
  public enum PredestroyOutcome {
    /** It completed. */
    SUCCEEDED,
    /** Every attempt failed or timed out; the teardown went on without it. */
    GAVE_UP,
    /** It could not run: the app never had a database to hand it. */
    SKIPPED;

    /** The JSON word. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** From the JSON word. */
    public static PredestroyOutcome ofJson(String word) {
      for (PredestroyOutcome o : values()) {
        if (o.json().equals(word)) {
          return o;
        }
      }
      throw new IllegalArgumentException("unknown predestroy outcome " + word);
    }
  }
}
