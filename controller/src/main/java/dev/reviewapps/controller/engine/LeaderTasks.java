package dev.reviewapps.controller.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link LeaderTask}s while this process leads: {@link #start()} when leadership is won,
 * {@link #stop()} (which interrupts a running task) when it is lost. A fresh instance per term.
 */
public final class LeaderTasks {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderTasks.class);

  private final List<LeaderTask> tasks;
  private final MeterRegistry registry;
  private ScheduledExecutorService executor;

  public LeaderTasks(List<LeaderTask> tasks, MeterRegistry registry) {
    this.tasks = List.copyOf(tasks);
    this.registry = registry;
  }

  /** Schedules every task, the first run at once. */
  public synchronized void start() {
    if (tasks.isEmpty() || executor != null) {
      return;
    }
    executor =
        Executors.newScheduledThreadPool(
            tasks.size(),
            r -> {
              Thread t = new Thread(r, "leader-task");
              t.setDaemon(true);
              return t;
            });
    for (LeaderTask task : tasks) {
      executor.scheduleWithFixedDelay(
          () -> runOnce(task), 0, task.interval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void runOnce(LeaderTask task) {
    String result = "success";
    try {
      task.runOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = "interrupted";
    } catch (Exception | Error e) {
      // Whatever happened, the task runs again at its next interval: never let it die.
      result = "error";
      LOG.warn("task {} failed: {}", task.name(), e.toString());
    }
    Counter.builder("review_apps_leader_task_runs_total")
        .description("Runs of the leader-only periodic tasks, by result")
        .tag("task", task.name())
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** Interrupts running tasks and schedules no more. */
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
