package dev.reviewapps.controller.engine;

import java.time.Duration;

/**
 * What a {@link WorkQueue} reports, after client-go's workqueue {@code MetricsProvider}. The
 * metrics package implements it with Micrometer under the controller-runtime metric names.
 */
public interface WorkQueueMetrics {

  /** A name was added (counted even when it was already queued). */
  void added();

  /** The number of names waiting to be handed to a worker changed. */
  void depth(int depth);

  /** A worker took {@code name} after it had waited {@code queued} in the queue. */
  void started(String name, Duration queued);

  /** A worker finished {@code name} after {@code worked}. */
  void finished(String name, Duration worked);

  /** A name was requeued with rate limiting after a failure. */
  void retried();

  /** Reports nothing. */
  static WorkQueueMetrics none() {
    return new WorkQueueMetrics() {
      @Override
      public void added() {}

      @Override
      public void depth(int depth) {}

      @Override
      public void started(String name, Duration queued) {}

      @Override
      public void finished(String name, Duration worked) {}

      @Override
      public void retried() {}
    };
  }
}
