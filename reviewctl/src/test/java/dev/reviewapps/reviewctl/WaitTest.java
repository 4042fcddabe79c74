package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WaitTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  @RegisterExtension static final ConsulWorld world = new ConsulWorld();

  private void apply(String name, String commit) {
    assertThat(world.cli().input(Specs.spec(name, commit)).run("apply", "-f", "-").exitCode())
        .isZero();
  }

  /** Applies {@code ready}, which the controller reports Ready, then {@code next}: its index. */
  private long readyThenUpdated(String name, String ready, String next) {
    apply(name, ready);
    world.writeStatus(name, Specs.ready(world.specIndex(name), "http://old.test", Instant.now()));
    apply(name, next);
    return world.specIndex(name);
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
    long second = readyThenUpdated("deploy-wait", "1111111a", "2222222b");

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
  void waitRidesOutAConsulRestart(@TempDir Path data) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Kept on disk, so the restarted agent has the same KV and indexes, as a real one would.
    ConsulConfig config = ConsulConfig.defaults().withPort(port).withDataDir(data);
    Cli cli = new Cli(Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:" + port));
    ConsulStandIn first = ConsulStandIn.start(config);
    assertThat(
            cli.input(Specs.spec("deploy-restart", "6666666f")).run("apply", "-f", "-").exitCode())
        .isZero();
    CompletableFuture<Cli.Run> waiting =
        CompletableFuture.supplyAsync(() -> cli.run("wait", "deploy-restart", "--timeout", "2m"));
    await().atMost(PATIENCE).until(() -> first.parkedQueries() > 0);

    first.close();
    try (ConsulStandIn second = ConsulStandIn.start(config);
        ConsulConnection connection =
            new ConsulConnection(
                new ConsulEndpoint(URI.create(second.baseUrl()), Optional.empty()),
                new SimpleMeterRegistry())) {
      KeyValueStore kv = new ConsulApiStore(connection);
      long index = kv.get(world.layout.spec("deploy-restart")).orElseThrow().modifyIndex();
      kv.put(
          world.layout.status("deploy-restart"),
          ReviewAppJson.writeStatus(Specs.ready(index, "http://restart.test", Instant.now())));

      Cli.Run run = waiting.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("reviewapp/deploy-restart Ready http://restart.test\n");
    }
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
  void waitForReadyExitsOneWhenTheControllerRejectedTheSpecAlthoughTheAppStaysReady() {
    long second = readyThenUpdated("deploy-rejected", "5555555e", "5555555f");
    CompletableFuture<Cli.Run> waiting = inBackground("wait", "deploy-rejected", "--timeout", "1m");
    // What the controller writes for an invalid update: the phase of the app it keeps running.
    String why =
        "update rejected, still running commit 5555555e: $.spec.database: cannot change once the"
            + " app's database exists";
    world.writeStatus(
        "deploy-rejected",
        Specs.ready(second, "http://old.test", Instant.now())
            .withCondition(
                ConditionType.Valid, ConditionStatus.False, "InvalidSpec", why, Instant.now()));

    Cli.Run run = waiting.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err())
        .isEqualTo("reviewctl: wait deploy-rejected: spec rejected: " + why + "\n");
    assertThat(run.out()).isEmpty();
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
        // Far below the default 10m; loose enough for a loaded machine.
        .isLessThan(Duration.ofSeconds(30));
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

  @Test
  void sleepAndWakeWriteTheRequestKeysAndWaitForThePhaseTheyLeadTo() {
    apply("deploy-nap", "3333333c");
    long index = world.specIndex("deploy-nap");
    world.writeStatus(
        "deploy-nap", Specs.ready(index, "http://deploy-nap.review.test", Instant.now()));

    CompletableFuture<Cli.Run> sleeping =
        inBackground("sleep", "deploy-nap", "--wait", "--timeout", "1m");
    String asked = world.text("review-apps/sleep/deploy-nap").orElseThrow();
    assertThat(Long.parseLong(asked))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    world.writeStatus(
        "deploy-nap",
        Specs.ready(index, "http://deploy-nap.review.test", Instant.now())
            .withPhase(Phase.Sleeping));
    Cli.Run slept = sleeping.join();
    assertThat(slept.exitCode()).isZero();
    assertThat(slept.out()).contains("reviewapp/deploy-nap sleep requested").contains("Sleeping");

    Cli.Run woken = world.cli().run("wake", "deploy-nap");
    assertThat(woken.exitCode()).isZero();
    assertThat(world.text("review-apps/wake/deploy-nap")).isPresent();

    // The last request the router reported is shown by get and describe.
    world.kv.put(
        "review-apps/activity/deploy-nap",
        Long.toString(Instant.now().minusSeconds(600).getEpochSecond())
            .getBytes(StandardCharsets.UTF_8));
    assertThat(world.cli().run("get", "deploy-nap").out()).containsPattern("deploy-nap .* 10m ago");
    assertThat(world.cli().run("describe", "deploy-nap").out()).contains("Last request: ");

    Cli.Run nobody = world.cli().run("sleep", "deploy-nobody");
    assertThat(nobody.exitCode()).isNotZero();
    assertThat(nobody.err()).contains("sleep deploy-nobody: no review app named deploy-nobody");
    assertThat(world.text("review-apps/sleep/deploy-nobody")).isEmpty();
  }
}
