package dev.reviewapps.controller.metrics;

import java.time.Duration;
import java.util.stream.DoubleStream;

/** The histogram buckets controller-runtime and client-go use, so that queries carry over. */
final class Buckets {
  private Buckets() {}

  /** controller-runtime's {@code controller_runtime_reconcile_time_seconds} buckets. */
  static final Duration[] RECONCILE =
      seconds(
          0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8,
          0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25,
          30, 40, 50, 60);

  /** client-go's workqueue buckets: 10 ns to 1000 s, times ten each. */
  static final Duration[] WORKQUEUE =
      seconds(DoubleStream.iterate(1e-8, s -> s * 10).limit(12).toArray());

  private static Duration[] seconds(double... values) {
    return DoubleStream.of(values)
        .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9)))
        .toArray(Duration[]::new);
  }
}
