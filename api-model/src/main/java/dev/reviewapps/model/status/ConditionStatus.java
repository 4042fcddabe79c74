package dev.reviewapps.model.status;

/** Whether a condition holds, as Kubernetes spells it. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
