package dev.reviewapps.controller.resilience;

/**
 * A failure that is an answer, not an outage: the outside system was reached and the call was
 * refused by a rule (a resource carries another owner's mark). It is never retried and never counts
 * against the system's circuit breaker, because asking again cannot change the answer and a healthy
 * system must not be cut off for it.
 */
public class NotAnOutage extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotAnOutage(String message) {
    super(message);
  }
}
