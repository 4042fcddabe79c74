package dev.reviewapps.controller.reviewapp.status;

import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes rule for conditions: {@code lastTransitionTime} changes only when a condition's
 * status flips. Applied to every status before it is written, so that a reconciler that builds its
 * status afresh (with "now" everywhere) cannot make old conditions look new.
 */
final class TransitionTimes {
  private TransitionTimes() {}

  static ReviewAppStatus carryOver(Optional<ReviewAppStatus> old, ReviewAppStatus next) {
    if (old.isEmpty()) {
      return next;
    }
    List<Condition> conditions =
        next.conditions().stream()
            .map(
                c ->
                    old.get()
                        .condition(c.type())
                        .filter(o -> o.status() == c.status())
                        .map(
                            o ->
                                new Condition(
                                    c.type(),
                                    c.status(),
                                    c.reason(),
                                    c.message(),
                                    o.lastTransitionTime()))
                        .orElse(c))
            .toList();
    return new ReviewAppStatus(
        next.phase(),
        next.observedIndex(),
        next.url(),
        conditions,
        next.lastError(),
        next.expiresAt(),
        next.message(),
        next.timings(),
        next.cost(),
        next.rollouts());
  }
}
