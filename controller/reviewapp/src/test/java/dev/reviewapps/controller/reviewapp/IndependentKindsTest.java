package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.devstack.aws.rds.RdsTiming;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kinds that do not depend on each other go on side by side: through the whole engine, with an RDS
 * that takes 12 s to create an instance, the app's capacity is recorded and its Redis runs while
 * the database is still being created; the phase says Provisioning until the database is there, and
 * nothing that needs the database (migrate, web) has started.
 */
class IndependentKindsTest {
  private static final Duration RDS_CREATING = Duration.ofSeconds(12);

  private static ReviewAppWorld world;
  private static Engine engine;

  @BeforeAll
  static void start() throws Exception {
    Duration d = Duration.ofMillis(40);
    world = ReviewAppWorld.start(64_000, 64_000, new RdsTiming(RDS_CREATING, d, d, d, d));
    engine = world.startEngine(new SimpleMeterRegistry(), 2);
  }

  @AfterAll
  static void stop() throws Exception {
    // Also stops the engine it started.
    world.close();
  }

  private static Optional<Condition> condition(String name, ConditionType type) {
    return world.status(name).flatMap(s -> s.condition(type));
  }

  @Test
  void redisRunsWhileTheRdsInstanceIsStillBeingCreated() {
    String name = "deploy-side-by-side";
    long started = System.nanoTime();
    world.putSpec(name, Apps.instance(name, "5eed0001"));
    long index = world.specIndex(name);

    await()
        .atMost(RDS_CREATING.minusSeconds(4))
        .until(
            () ->
                condition(name, ConditionType.RedisReady)
                    .map(c -> c.status() == ConditionStatus.True)
                    .orElse(false));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RDS_CREATING);
    ReviewAppStatus meanwhile = world.status(name).orElseThrow();
    assertThat(meanwhile.condition(ConditionType.DatabaseReady).orElseThrow())
        .satisfies(c -> assertThat(c.status()).isEqualTo(ConditionStatus.False))
        .satisfies(c -> assertThat(c.reason()).isEqualTo("Creating"));
    assertThat(meanwhile.condition(ConditionType.CapacityReady)).isPresent();
    assertThat(meanwhile.condition(ConditionType.Migrated)).as("needs the database").isEmpty();
    assertThat(meanwhile.phase()).isEqualTo(Phase.Provisioning);

    await().atMost(Duration.ofSeconds(90)).until(() -> world.readyAt(name, index));
  }
}
