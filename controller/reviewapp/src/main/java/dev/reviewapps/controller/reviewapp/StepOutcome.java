package dev.reviewapps.controller.reviewapp;

import java.time.Duration;

/** What one reconcile step found: its condition's reason and message, and whether to go on. */
public sealed interface StepOutcome {

  /** The condition's reason (CamelCase, as Kubernetes writes them). */
  String reason();

  /** The condition's message, for people; never a secret. */
  String message();

  /** The step's condition holds; the next step runs. */
  record Ready(String reason, String message) implements StepOutcome {}

  /**
   * The step did what it could but its condition does not hold (the cluster is at its maximum
   * size): the condition is False, and later steps run anyway.
   */
  record Degraded(String reason, String message) implements StepOutcome {}

  /**
   * The outside world is not there yet (an instance is creating, a job is starting): the condition
   * is False, later steps wait, and the app is looked at again after {@code recheck}.
   */
  record Waiting(String reason, String message, Duration recheck) implements StepOutcome {}

  /**
   * Retrying will not help until the spec changes (a missing template, a failed migration): the
   * condition is False, the phase Failed.
   */
  record Failed(String reason, String message) implements StepOutcome {}
}
