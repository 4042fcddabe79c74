package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * What a reconcile asks the engine to do next. A failure is not a result: it is an exception
 * (retried with backoff) or a {@link TerminalError} (recorded, not retried).
 */
public sealed interface Result {

  /** The name has converged; its backoff is forgotten and it waits for the next change. */
  static Result done() {
    return Done.INSTANCE;
  }

  /**
   * Look again after {@code delay} without counting a failure: the way to wait for the outside
   * world (an RDS instance takes minutes) without blocking a worker.
   */
  static Result requeueAfter(Duration delay) {
    return new RequeueAfter(delay);
  }

  /** Converged. */
  enum Done implements Result {
    INSTANCE
  }

  /** Not converged yet; look again after {@code delay}. */
  record RequeueAfter(Duration delay) implements Result {
    public RequeueAfter {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("requeue delay must not be negative: " + delay);
      }
    }
  }
}
