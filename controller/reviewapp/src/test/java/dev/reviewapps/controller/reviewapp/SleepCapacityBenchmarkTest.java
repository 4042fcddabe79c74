package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: what sleeping gives back. 50 review apps, each one web process declaring 500
 * MHz and 512 MB, run by the real engine against devstack; the Auto Scaling Group's desired
 * capacity (instances of 4,000 MHz and 8,192 MB, 10% headroom, as {@link ReviewAppWorld} sets it)
 * is read with all awake, then with 40 put to sleep, as a world where nothing sleeps compares with
 * one where idle apps do.
 */
@Tag("bench")
class SleepCapacityBenchmarkTest {

  private static final int APPS = 50;
  private static final int IDLE = 40;

  private static String app(String name) {
    return ReviewAppBenchmarkTest.tinyApp(name)
        .replace("\"cpu\":50,\"memoryMB\":32", "\"cpu\":500,\"memoryMB\":512");
  }

  @Test
  void fortyIdleAppsOfFiftyGiveBackTheirInstances() throws Exception {
    try (ReviewAppWorld world = ReviewAppWorld.start(1_000_000, 1_000_000)) {
      ReviewAppReconciler reconciler =
          world.reconciler(
              ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
              new ReviewAppSettings(
                  ReviewAppWorld.HOSTS,
                  "http",
                  Duration.ofMillis(500),
                  Duration.ofSeconds(2),
                  Optional.empty()),
              Clock.systemUTC(),
              new SimpleMeterRegistry(),
              ReviewAppReconciler.AbsentSpec.NOTHING,
              ReviewAppReconciler.StepObserver.NONE,
              ReviewAppReconciler.Policies.NONE);
      Engine engine = ReviewAppBenchmarkTest.engine(world, reconciler);
      engine.start();
      for (int i = 0; i < APPS; i++) {
        String name = String.format("deploy-nap-%02d", i);
        world.kv.put(world.layout.spec(name), app(name).getBytes(StandardCharsets.UTF_8));
      }
      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> ReviewAppBenchmarkTest.count(world, Phase.Ready) == APPS);
      int awake = settled(world);

      for (int i = 0; i < IDLE; i++) {
        String name = String.format("deploy-nap-%02d", i);
        world.kv.put(world.keys.sleep(name), "0".getBytes(StandardCharsets.UTF_8));
      }
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> ReviewAppBenchmarkTest.count(world, Phase.Sleeping) == IDLE);
      int asleep = settled(world);
      engine.stop(Duration.ofSeconds(5));

      System.out.printf(
          "BENCH sleep: %d apps (500 MHz, 512 MB each) on 4000 MHz / 8192 MB instances: %d"
              + " instances with every app awake, %d with %d idle apps asleep: %d released"
              + " (%.0f%%)%n",
          APPS, awake, asleep, IDLE, awake - asleep, 100.0 * (awake - asleep) / awake);
      assertThat(asleep).isLessThan(awake);
    }
  }

  /** The group's desired capacity once it has not changed for 3 s. */
  private static int settled(ReviewAppWorld world) {
    int[] last = {-1};
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              int now = desired(world);
              boolean same = now == last[0];
              last[0] = now;
              return same;
            });
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30))
        .until(() -> desired(world) == last[0]);
    return last[0];
  }

  private static int desired(ReviewAppWorld world) {
    return world
        .autoScaling
        .describeAutoScalingGroups(r -> r.autoScalingGroupNames(ReviewAppWorld.GROUP))
        .autoScalingGroups()
        .get(0)
        .desiredCapacity();
  }
}
