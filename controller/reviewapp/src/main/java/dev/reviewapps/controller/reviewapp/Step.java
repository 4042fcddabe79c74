package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.model.status.ConditionType;

/**
 * One reconcile step. It reads the real state of its outside system, converges it towards the spec,
 * records anything it creates in the inventory before creating it, and never waits: when the
 * outside world is not ready it returns {@link StepOutcome.Waiting}.
 */
public interface Step {

  /** The condition this step sets. */
  ConditionType condition();

  /** Runs the step once for the app in {@code run}. */
  StepOutcome run(Reconciliation run) throws Exception;
}
