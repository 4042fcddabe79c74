package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts that do not depend on a timer, through the whole engine and devstack Nomad running real
 * processes: a new release's web starts beside the old one (Nomad canaries), the web step promotes
 * it once it passes its check, the route moves, and only then does Nomad stop the old one. The
 * replaced web keeps serving for the production default of 30 s (shutdown_delay), and the new
 * release needs 45 s to start: under the old stop-then-start update every request of the last 15 s
 * would have failed.
 */
class CanaryRolloutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** How long the slow release sleeps before its web process listens. */
  private static final int SLOW_START_SECONDS = 45;

  private static ReviewAppWorld world;
  private static Engine engine;

  @TempDir static Path temp;

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    ReviewAppJobs.Settings d = ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults());
    engine =
        world.startEngine(
            new ReviewAppJobs.Settings(
                d.datacenters(),
                d.driver(),
                d.redis(),
                d.release(),
                Duration.ofMillis(500),
                d.healthTimeout(),
                // The configuration's default shutdown delay, shorter than the slow start.
                Duration.ofSeconds(30),
                // Nomad fails a deployment whose canary is not healthy within this.
                Duration.ofSeconds(SLOW_START_SECONDS + 15)),
            Duration.ofMillis(200),
            new SimpleMeterRegistry(),
            2);
  }

  @AfterAll
  static void stop() throws Exception {
    // Also stops the engine it started.
    world.close();
  }

  private static Path web() {
    return ReviewAppWorld.exampleApp().resolve("bin").resolve("web");
  }

  /** A web command that does {@code script} first, then runs the example app's web. */
  private static Path wrapped(String name, String script) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + script + "\nexec " + web() + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static String spec(String name, String commit, Path webCommand) {
    return Apps.shared(name, commit)
        .replace("\"command\":\"" + web() + "\"", "\"command\":\"" + webCommand + "\"");
  }

  /** What the app behind the route's first upstream answers, as the router would send it. */
  private static JsonNode api(String upstreams) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + upstreams.split(",")[0] + "/api"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /** Polls through the route as the router does, every request where the route says now. */
  private static final class Client implements AutoCloseable {
    final AtomicBoolean polling = new AtomicBoolean(true);
    final List<String> errors = new CopyOnWriteArrayList<>();
    final Set<String> commits = ConcurrentHashMap.newKeySet();
    final AtomicInteger answered = new AtomicInteger();
    final Thread thread;

    Client(String name) {
      thread =
          new Thread(
              () -> {
                while (polling.get()) {
                  String upstream = world.route(name);
                  try {
                    commits.add(api(upstream).get("commit").asText());
                    answered.incrementAndGet();
                  } catch (Throwable e) {
                    errors.add(upstream + ": " + e);
                  }
                }
              },
              "polling-client");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      polling.set(false);
      thread.join(10_000);
    }
  }

  private static List<AllocationListStub> webAllocations(String name) throws Exception {
    return world
        .nomadClient
        .getJobsApi()
        .allocations(ResourceNames.of(name).serviceJob())
        .getValue()
        .stream()
        .filter(a -> a.getTaskGroup().equals("web"))
        .toList();
  }

  /** How many allocations the app's inventory asks the cluster to have room for. */
  private static int footprint(String name) {
    return InventoryJson.read(world.kv.get(world.layout.inventory(name)).orElseThrow().value())
        .allocations()
        .size();
  }

  /** Until a single web allocation is meant to run: the old release's is told to stop. */
  private static void awaitOneWebAllocation(String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                webAllocations(name).stream()
                    .filter(a -> a.getDesiredStatus().equals("run"))
                    .count(),
            n -> n == 1);
  }

  @Test
  void aReleaseSlowerToStartThanTheShutdownDelayRollsOutWithoutOneErrorResponse() throws Exception {
    String name = "deploy-canary-slow";
    world.putSpec(name, Apps.shared(name, "c0ffee01"));
    long first = world.specIndex(name);
    await().atMost(Duration.ofSeconds(120)).until(() -> world.readyAt(name, first));

    try (Client client = new Client(name)) {
      world.putSpec(
          name, spec(name, "c0ffee02", wrapped("slow-web", "sleep " + SLOW_START_SECONDS)));
      long second = world.specIndex(name);
      // While the new release starts, the old one is neither stopped nor told to stop.
      await().atMost(Duration.ofSeconds(30)).until(() -> webAllocations(name).size() == 2);
      assertThat(webAllocations(name)).allMatch(a -> a.getDesiredStatus().equals("run"));
      // The cluster is sized for both while they run: Redis, two web, one worker.
      await().atMost(Duration.ofSeconds(10)).until(() -> footprint(name) == 4);
      await().atMost(Duration.ofSeconds(120)).until(() -> world.readyAt(name, second));
      await().atMost(Duration.ofSeconds(10)).until(() -> client.commits.contains("c0ffee02"));
      client.close();
      assertThat(client.errors).isEmpty();
      assertThat(client.commits).containsExactlyInAnyOrder("c0ffee01", "c0ffee02");
      assertThat(client.answered.get()).isGreaterThan(20);
    }
    // Promoted: the old web is stopped now, the new one alone runs.
    awaitOneWebAllocation(name);
    // Given back at the next look at the Ready app (readyRecheck, 30 s here): a shrink can wait.
    await().atMost(Duration.ofSeconds(45)).until(() -> footprint(name) == 3);
    assertThat(world.status(name).orElseThrow().timings().get(ConditionType.WebReady))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(SLOW_START_SECONDS));
  }

  @Test
  void aReleaseThatNeverPassesItsCheckLeavesTheOldOneServingAndSaysWhy() throws Exception {
    String name = "deploy-canary-broken";
    world.putSpec(name, Apps.shared(name, "bad0aa01"));
    long first = world.specIndex(name);
    await().atMost(Duration.ofSeconds(120)).until(() -> world.readyAt(name, first));
    String before = world.route(name);

    world.putSpec(name, spec(name, "bad0aa02", wrapped("never-web", "exec sleep 3600")));
    // Nomad fails the deployment after the healthy deadline (60 s here, 5 min by default).
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                world
                    .status(name)
                    .flatMap(s -> s.condition(ConditionType.WebReady))
                    .map(c -> c.reason().equals("DeployFailed"))
                    .orElse(false));
    ReviewAppStatus failed = world.status(name).orElseThrow();
    assertThat(failed.phase()).isEqualTo(Phase.Failed);
    assertThat(failed.condition(ConditionType.WebReady).orElseThrow().message())
        .contains("commit bad0aa02")
        .contains("an earlier release keeps serving");
    assertThat(world.route(name)).isEqualTo(before);
    assertThat(api(before).get("commit").asText()).isEqualTo("bad0aa01");

    // A fix rolls out as usual; the failed release's allocation goes.
    world.putSpec(name, Apps.shared(name, "bad0aa03"));
    long fixed = world.specIndex(name);
    await().atMost(Duration.ofSeconds(120)).until(() -> world.readyAt(name, fixed));
    assertThat(api(world.route(name)).get("commit").asText()).isEqualTo("bad0aa03");
    awaitOneWebAllocation(name);
  }
}
