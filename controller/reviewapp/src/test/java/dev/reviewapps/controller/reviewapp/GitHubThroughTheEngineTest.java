package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.github.FakeGitHub;
import dev.reviewapps.controller.github.GitHubApi;
import dev.reviewapps.controller.github.GitHubReporter;
import dev.reviewapps.controller.reviewapp.gc.Expiry;
import dev.reviewapps.controller.reviewapp.gc.GcRecords;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.quota.Budget;
import dev.reviewapps.controller.reviewapp.quota.Quota;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.wiring.LifecyclePolicies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * GitHub deployments and the PR comment through the whole engine: a spec written, the app Ready
 * (deployment {@code success} with the URL, the comment showing it), the spec deleted and the
 * teardown done (deployment {@code inactive}, the comment saying so); and a GitHub that answers
 * nothing but 500s does not slow the app down.
 */
class GitHubThroughTheEngineTest {

  @Test
  void anAppsLifeIsReportedAsADeploymentAndOneComment() throws Exception {
    try (ReviewAppWorld world = ReviewAppWorld.start(64_000, 64_000);
        FakeGitHub github = new FakeGitHub()) {
      String name = "deploy-gh";
      github.pulls.put(name, 7L);
      GitHubReporter reporter =
          new GitHubReporter(
              new GitHubApi(
                  github.base(),
                  FakeGitHub.REPO,
                  Optional.of("t0ken"),
                  Duration.ofMinutes(1),
                  Clock.systemUTC(),
                  d -> {}),
              Duration.ofMillis(200));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ReviewAppJobs.Settings jobSettings =
          ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults());
      ReviewAppSettings settings =
          new ReviewAppSettings(
              ReviewAppWorld.HOSTS,
              "http",
              Duration.ofMillis(200),
              Duration.ofSeconds(30),
              Optional.empty());
      TeardownSettings teardownSettings =
          TeardownSettings.defaults(Duration.ofMillis(200), Duration.ofMillis(200));
      List<ResourceKind> kinds =
          world.kinds(jobSettings, settings, teardownSettings, registry, Clock.systemUTC());
      Teardown teardown = world.teardown(kinds, teardownSettings, registry);
      ReviewAppReconciler reconciler =
          world.reconciler(
              kinds,
              jobSettings,
              settings,
              Clock.systemUTC(),
              registry,
              teardown,
              ReviewAppReconciler.StepObserver.NONE,
              new LifecyclePolicies(
                  new Quota(world.kv, world.layout, 0),
                  new Budget(world.kv, world.layout, 0, s -> 0),
                  new Expiry(
                      new GcRecords(world.kv, world.layout), Optional.empty(), Clock.systemUTC()),
                  Duration.ofSeconds(1),
                  Optional.of(reporter)));
      Engine engine = world.startEngine(reconciler, registry, 2);
      try {
        world.kv.put(
            world.layout.spec(name),
            Apps.shared(name, "abcd1234").getBytes(StandardCharsets.UTF_8));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    github.statuses.stream()
                        .anyMatch(
                            s ->
                                s.state().equals("success")
                                    && "http://deploy-gh.review.test".equals(s.environmentUrl())));
        assertThat(github.deployments).hasSize(1);
        assertThat(github.deployments.get(0).sha()).isEqualTo("abcd1234");
        assertThat(github.statuses.get(0).state()).isEqualTo("in_progress");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    github.comments.values().stream()
                        .anyMatch(c -> c.contains("| Phase | Ready |")));
        assertThat(github.comments.values().iterator().next()).contains("Ready in");

        world.kv.delete(world.layout.spec(name));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> github.statuses.stream().anyMatch(s -> s.state().equals("inactive")));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> github.comments.values().stream().anyMatch(c -> c.contains("deleted")));
        assertThat(github.comments).hasSize(1);
        assertThat(github.deployments).hasSize(1);

        // GitHub down: the next app is Ready as fast as ever, the reports wait.
        for (int i = 0; i < 50; i++) {
          github.answerNext(500, java.util.Map.of(), "{\"message\":\"down\"}");
        }
        String other = "deploy-gh-down";
        world.kv.put(
            world.layout.spec(other),
            Apps.shared(other, "dcba4321").getBytes(StandardCharsets.UTF_8));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    world
                        .status(other)
                        .map(s -> s.phase() == dev.reviewapps.model.status.Phase.Ready)
                        .orElse(false));
      } finally {
        engine.stop(Duration.ofSeconds(5));
        reporter.close();
      }
      List<FakeGitHub.Call> calls = github.calls;
      assertThat(calls).allMatch(c -> "Bearer t0ken".equals(c.authorization()));
    }
  }
}
