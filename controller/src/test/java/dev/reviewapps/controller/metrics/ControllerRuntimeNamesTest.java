package dev.reviewapps.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.ExponentialBackoff;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.engine.WorkQueue;
import dev.reviewapps.controller.engine.WorkerPool;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerRuntimeNamesTest {

  @Test
  void theScrapeCarriesControllerRuntimeAndWorkqueueNamesWithTheirLabels() {
    PrometheusMeterRegistry registry = MetricsRegistry.create();
    ReconcileMeters reconcile = new ReconcileMeters(registry, "reviewapp", 2);
    WorkQueue queue =
        new WorkQueue(
            "reviewapp",
            new ExponentialBackoff(Duration.ofMillis(1), Duration.ofMillis(10)),
            new WorkQueueMeters(registry, "reviewapp"));
    LeaderStatus.register(registry, "review-apps", () -> true);
    AtomicInteger failures = new AtomicInteger();
    WorkerPool pool =
        new WorkerPool(
            "reviewapp",
            queue,
            name ->
                switch (name) {
                  case "flaky" -> {
                    if (failures.getAndIncrement() == 0) {
                      throw new IllegalStateException("once");
                    }
                    yield Result.done();
                  }
                  case "invalid" -> throw new TerminalError("bad spec");
                  default -> Result.done();
                },
            TerminalErrors.ignore(),
            reconcile,
            2);
    pool.start();
    try {
      queue.add("ok");
      queue.add("flaky");
      queue.add("invalid");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  registry
                      .scrape()
                      .contains(
                          "controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"success\"} 2.0"));
    } finally {
      pool.stop(Duration.ofSeconds(1));
    }

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"success\"} 2.0")
        .contains(
            "controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"error\"} 2.0")
        .contains(
            "controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"requeue_after\"} 0.0")
        .contains(
            "controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"requeue\"} 0.0")
        .contains("controller_runtime_reconcile_errors_total{controller=\"reviewapp\"} 2.0")
        .contains(
            "controller_runtime_terminal_reconcile_errors_total{controller=\"reviewapp\"} 1.0")
        .contains(
            "controller_runtime_reconcile_time_seconds_bucket{controller=\"reviewapp\",le=\"0.005\"}")
        .contains("controller_runtime_reconcile_time_seconds_count{controller=\"reviewapp\"} 4")
        .contains("controller_runtime_active_workers{controller=\"reviewapp\"} 0.0")
        .contains("workqueue_depth{controller=\"reviewapp\",name=\"reviewapp\"} 0.0")
        .contains("workqueue_adds_total{controller=\"reviewapp\",name=\"reviewapp\"} 4.0")
        .contains("workqueue_retries_total{controller=\"reviewapp\",name=\"reviewapp\"} 1.0")
        .contains(
            "workqueue_queue_duration_seconds_bucket{controller=\"reviewapp\",name=\"reviewapp\",le=\"1.0E-8\"}")
        .contains(
            "workqueue_work_duration_seconds_count{controller=\"reviewapp\",name=\"reviewapp\"} 4")
        .contains(
            "workqueue_unfinished_work_seconds{controller=\"reviewapp\",name=\"reviewapp\"} 0.0")
        .contains(
            "workqueue_longest_running_processor_seconds{controller=\"reviewapp\",name=\"reviewapp\"} 0.0")
        .contains("leader_election_master_status{name=\"review-apps\"} 1.0")
        .contains("jvm_memory_used_bytes{area=\"heap\"");
    assertThat(scrape).doesNotContain("_total_total").doesNotContain("_seconds_seconds");
  }
}
