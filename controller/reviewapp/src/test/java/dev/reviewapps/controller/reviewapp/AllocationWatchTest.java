package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollouts go on when Nomad says so, not when a timer fires: through the whole engine with a
 * recheck of 60 s, an app whose Redis, migration, seed and web each wait for a Nomad allocation is
 * Ready long before a single recheck could have fired, because the engine's watch of Nomad's
 * allocations (a blocking query) queues the app whenever one of its allocations changes.
 */
class AllocationWatchTest {
  private static final Duration RECHECK = Duration.ofSeconds(60);

  private static ReviewAppWorld world;
  private static Engine engine;

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    engine =
        world.startEngine(
            ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
            RECHECK,
            new SimpleMeterRegistry(),
            2);
  }

  @AfterAll
  static void stop() throws Exception {
    // Also stops the engine it started.
    world.close();
  }

  @Test
  void eachStepThatWaitsForNomadGoesOnWhenItsAllocationChanges() {
    String name = "deploy-watched";
    long started = System.nanoTime();
    world.putSpec(name, Apps.shared(name, "feed0001"));
    long index = world.specIndex(name);

    // Four steps wait for Nomad (Redis, migrate, seed, web): with rechecks alone that is at
    // least four minutes.
    await().atMost(RECHECK.dividedBy(2)).until(() -> world.readyAt(name, index));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RECHECK);
  }
}
