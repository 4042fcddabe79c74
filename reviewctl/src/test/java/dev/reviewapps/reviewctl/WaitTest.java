package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WaitTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  @RegisterExtension static final ConsulWorld world = new ConsulWorld();

  private void apply(String name, String commit) {
    assertThat(world.cli().input(Specs.spec(name, commit)).run("apply", "-f", "-").exitCode())
        .isZero();
  }

  /** Starts reviewctl in another thread and returns once its blocking query is parked. */
  private CompletableFuture<Cli.Run> inBackground(String... args) {
    int parkedBefore = world.consul.parkedQueries();
    CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> world.cli().run(args));
    await().atMost(PATIENCE).until(() -> world.consul.parkedQueries() > parkedBefore);
    assertThat(run).isNotDone();
    return run;
  }

  @Test
  void waitReturnsWhenTheControllerWritesReadyForTheCurrentSpec() {
    apply("deploy-wait", "1111111a");
    long first = world.specIndex("deploy-wait");
    world.writeStatus("deploy-wait", Specs.ready(first, "http://old.test", Instant.now()));
    apply("deploy-wait", "2222222b");
    long second = world.specIndex("deploy-wait");

    // The Ready of the previous commit must not end the wait.
    CompletableFuture<Cli.Run> waiting =
        inBackground("wait", "deploy-wait", "--for", "Ready", "--timeout", "1m");
    world.writeStatus(
        "deploy-wait",
        ReviewAppStatus.pending(second)
            .withPhase(Phase.Deploying)
            .withCondition(
                ConditionType.WebReady, ConditionStatus.False, "Starting", "", Instant.now()));
    assertThat(waiting).isNotDone();
    world.writeStatus(
        "deploy-wait", Specs.ready(second, "http://deploy-wait.review.test", Instant.now()));

    Cli.Run run = waiting.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("reviewapp/deploy-wait Ready http://deploy-wait.review.test\n");
  }

  @Test
  void waitExitsOneWithTheLastErrorWhenTheAppFails() {
    apply("deploy-fails", "3333333c");
    CompletableFuture<Cli.Run> waiting = inBackground("wait", "deploy-fails", "--timeout", "1m");
    world.writeStatus(
        "deploy-fails",
        ReviewAppStatus.pending(world.specIndex("deploy-fails"))
            .withPhase(Phase.Failed)
            .withLastError(Optional.of("migration failed: exit code 3")));

    Cli.Run run = waiting.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err())
        .isEqualTo("reviewctl: wait deploy-fails: Failed: migration failed: exit code 3\n");
  }

  @Test
  void waitExitsTwoOnTimeoutSayingWhereTheAppIs() {
    apply("deploy-slow", "4444444d");
    world.writeStatus(
        "deploy-slow",
        ReviewAppStatus.pending(world.specIndex("deploy-slow"))
            .withPhase(Phase.Provisioning)
            .withCondition(
                ConditionType.DatabaseReady,
                ConditionStatus.False,
                "Creating",
                "RDS instance is being created",
                Instant.now()));
    long started = System.nanoTime();

    Cli.Run run = world.cli().run("wait", "deploy-slow", "--timeout", "2s");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(10));
    assertThat(run.exitCode()).isEqualTo(ExitCode.TIMEOUT);
    assertThat(run.err())
        .isEqualTo(
            "reviewctl: wait deploy-slow: timed out after 2s waiting for Ready; phase Provisioning,"
                + " DatabaseReady False Creating: RDS instance is being created\n");
  }

  @Test
  void deleteWaitReturnsOnceTheControllerRemovedStatusAndInventory() {
    apply("deploy-teardown", "5555555e");
    world.writeStatus(
        "deploy-teardown",
        Specs.ready(world.specIndex("deploy-teardown"), "http://t.test", Instant.now()));
    world.kv.put(world.layout.inventory("deploy-teardown"), "{}".getBytes(StandardCharsets.UTF_8));

    CompletableFuture<Cli.Run> deleting =
        CompletableFuture.supplyAsync(
            () -> world.cli().run("delete", "deploy-teardown", "--wait", "--timeout", "1m"));
    await()
        .atMost(PATIENCE)
        .until(() -> world.kv.get(world.layout.spec("deploy-teardown")).isEmpty());
    world.kv.delete(world.layout.inventory("deploy-teardown"));
    assertThat(deleting).isNotDone();
    world.kv.delete(world.layout.status("deploy-teardown"));

    Cli.Run run = deleting.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("reviewapp/deploy-teardown deleted\nreviewapp/deploy-teardown Deleted\n");
  }

  @Test
  void waitForDeletedTimesOutWhileTheStatusRemains() {
    world.writeStatus("deploy-stuck", Specs.ready(1, "http://s.test", Instant.now()));

    Cli.Run run = world.cli().run("wait", "deploy-stuck", "--for", "Deleted", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(ExitCode.TIMEOUT);
    assertThat(run.err()).contains("waiting for Deleted; still in Consul: status");
  }
}
