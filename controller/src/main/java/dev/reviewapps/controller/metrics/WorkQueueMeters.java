package dev.reviewapps.controller.metrics;

import dev.reviewapps.controller.engine.WorkQueueMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link WorkQueueMetrics} as client-go exports them ({@code workqueue_depth}, {@code
 * workqueue_adds_total}, {@code workqueue_queue_duration_seconds}, {@code
 * workqueue_work_duration_seconds}, {@code workqueue_unfinished_work_seconds}, {@code
 * workqueue_longest_running_processor_seconds}, {@code workqueue_retries_total}), labelled {@code
 * name} and {@code controller} as controller-runtime labels them.
 */
public final class WorkQueueMeters implements WorkQueueMetrics {
  private final AtomicInteger depth = new AtomicInteger();
  private final Counter adds;
  private final Counter retries;
  private final Timer queued;
  private final Timer worked;
  // Start times of names in progress; the two "unfinished" gauges are computed from them.
  private final Map<String, Long> processing = new ConcurrentHashMap<>();

  public WorkQueueMeters(MeterRegistry registry, String controller) {
    Tags tags = Tags.of("name", controller, "controller", controller);
    Gauge.builder("workqueue_depth", depth, AtomicInteger::get)
        .description("Current depth of workqueue")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    adds =
        Counter.builder("workqueue_adds")
            .description("Total number of adds handled by workqueue")
            .tags(tags)
            .register(registry);
    retries =
        Counter.builder("workqueue_retries")
            .description("Total number of retries handled by workqueue")
            .tags(tags)
            .register(registry);
    queued =
        Timer.builder("workqueue_queue_duration")
            .description("How long an item stays in workqueue before being requested")
            .tags(tags)
            .serviceLevelObjectives(Buckets.WORKQUEUE)
            .register(registry);
    worked =
        Timer.builder("workqueue_work_duration")
            .description("How long processing an item from workqueue takes")
            .tags(tags)
            .serviceLevelObjectives(Buckets.WORKQUEUE)
            .register(registry);
    Gauge.builder("workqueue_unfinished_work_seconds", this, WorkQueueMeters::unfinishedSeconds)
        .description(
            "How many seconds of work has been done that is in progress and hasn't been observed"
                + " by work_duration")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "workqueue_longest_running_processor_seconds",
            this,
            WorkQueueMeters::longestRunningSeconds)
        .description(
            "How many seconds has the longest running processor for workqueue been running")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void added() {
    adds.increment();
  }

  @Override
  public void depth(int depth) {
    this.depth.set(depth);
  }

  @Override
  public void started(String name, Duration waited) {
    queued.record(waited);
    processing.put(name, System.nanoTime());
  }

  @Override
  public void finished(String name, Duration took) {
    processing.remove(name);
    worked.record(took);
  }

  @Override
  public void retried() {
    retries.increment();
  }

  double unfinishedSeconds() {
    long now = System.nanoTime();
    return processing.values().stream().mapToLong(start -> now - start).sum() / 1e9;
  }

  double longestRunningSeconds() {
    long now = System.nanoTime();
    return processing.values().stream().mapToLong(start -> now - start).max().orElse(0) / 1e9;
  }
}
