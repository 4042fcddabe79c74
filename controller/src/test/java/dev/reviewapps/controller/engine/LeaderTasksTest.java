package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderTasksTest {

  private static LeaderTask task(String name, Duration interval, Runnable body) {
    return new LeaderTask() {
      public String name() {
        return name;
      }

      public Duration interval() {
        return interval;
      }

      public void runOnce() {
        body.run();
      }
    };
  }

  @Test
  void runsAtOnceAndAgainAfterAFailure() {
    AtomicInteger runs = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LeaderTasks tasks =
        new LeaderTasks(
            List.of(
                task(
                    "flaky",
                    Duration.ofMillis(20),
                    () -> {
                      if (runs.incrementAndGet() == 1) {
                        throw new IllegalStateException("first run fails");
                      }
                    })),
            registry);
    tasks.start();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
      assertThat(
              registry
                  .get("review_apps_leader_task_runs_total")
                  .tag("task", "flaky")
                  .tag("result", "error")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    } finally {
      tasks.stop();
    }
  }

  @Test
  void stopInterruptsARunningTaskAndRunsNoMore() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    LeaderTasks tasks =
        new LeaderTasks(
            List.of(
                task(
                    "slow",
                    Duration.ofMillis(10),
                    () -> {
                      runs.incrementAndGet();
                      started.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.set(true);
                      }
                    })),
            new SimpleMeterRegistry());
    tasks.start();
    assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    tasks.stop();
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    assertThat(runs.get()).isEqualTo(1);
  }
}
