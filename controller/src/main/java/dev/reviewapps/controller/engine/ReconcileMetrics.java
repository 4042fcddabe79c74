package dev.reviewapps.controller.engine;

import java.time.Duration;

/** What a {@link WorkerPool} reports about reconciles, after controller-runtime's metrics. */
public interface ReconcileMetrics {

  /** One reconcile ended with {@code outcome} after {@code took}. */
  void reconciled(Outcome outcome, Duration took);

  /** A worker started ({@code +1}) or finished ({@code -1}) a reconcile. */
  void activeWorkers(int delta);

  /** A key under a watched prefix was ignored: its name is none the reconciler accepts. */
  default void ignoredKey() {}

  /**
   * How a reconcile ended, with the {@code result} label controller-runtime gives it. A terminal
   * error is also an error.
   */
  enum Outcome {
    SUCCESS("success"),
    REQUEUE_AFTER("requeue_after"),
    ERROR("error"),
    TERMINAL_ERROR("error");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** The value of the {@code result} label. */
    public String label() {
      return label;
    }
  }

  /** Reports nothing. */
  static ReconcileMetrics none() {
    return new ReconcileMetrics() {
      @Override
      public void reconciled(Outcome outcome, Duration took) {}

      @Override
      public void activeWorkers(int delta) {}
    };
  }
}
