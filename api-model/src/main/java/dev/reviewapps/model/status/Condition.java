package dev.reviewapps.model.status;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one reconcile step. {@code reason} is a short CamelCase word for machines, {@code
 * message} a sentence for people; {@code lastTransitionTime} is when {@code status} last changed.
 */
public record Condition(
    ConditionType type,
    ConditionStatus status,
    String reason,
    String message,
    Instant lastTransitionTime) {

  public Condition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
  }
}
