package dev.reviewapps.controller.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reporter and its client against a local server that answers as GitHub documents. */
class GitHubReporterTest {
  private static final String TOKEN = "ghp_s3cr3t";
  private FakeGitHub github;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private GitHubReporter reporter;

  @BeforeEach
  void start() throws Exception {
    github = new FakeGitHub();
    github.pulls.put("deploy-shop", 42L);
    reporter = reporter();
  }

  @AfterEach
  void stop() {
    reporter.close();
    github.close();
  }

  private GitHubReporter reporter() {
    return reporter(app -> Optional.empty());
  }

  private GitHubReporter reporter(
      java.util.function.Function<String, Optional<String>> dashboardPage) {
    return new GitHubReporter(
        new GitHubApi(
            github.base(),
            FakeGitHub.REPO,
            Optional.of(TOKEN),
            Duration.ofMinutes(15),
            Clock.systemUTC(),
            waits::add),
        Duration.ofMillis(200),
        dashboardPage);
  }

  private static GitHubReporter.Report report(String commit, String phase) {
    return new GitHubReporter.Report(
        "deploy-shop",
        "deploy-shop",
        commit,
        phase,
        phase.equals("Ready")
            ? Optional.of("https://deploy-shop.review.example.com")
            : Optional.empty(),
        phase.equals("Failed") ? Optional.of("MigrationFailed: exit 1") : Optional.empty(),
        phase.equals("Ready") ? Optional.of(Duration.ofMillis(3400)) : Optional.empty(),
        Optional.of(0.0123),
        Optional.of("2026-12-06T10:00:00Z"),
        false);
  }

  private static GitHubReporter.Report gone() {
    return GitHubReporter.Report.gone("deploy-shop");
  }

  private List<String> states(int deployment) {
    return github.statusesOf(github.deployments.get(deployment).id()).stream()
        .map(FakeGitHub.Status::state)
        .toList();
  }

  @Test
  void aWholeLifeIsOneDeploymentPerCommitWithItsStatusesAndOneCommentEditedInPlace() {
    reporter.report(report("aaaa1111", "Provisioning"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 1);
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 2);
    reporter.report(report("bbbb2222", "Deploying"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 3);
    reporter.report(report("bbbb2222", "Failed"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 4);
    reporter.report(gone());
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 5);
    // The comment is edited after the status is set.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> github.comments.values().stream().anyMatch(c -> c.contains("deleted")));

    assertThat(github.deployments).hasSize(2);
    FakeGitHub.Deployment first = github.deployments.get(0);
    assertThat(first.sha()).isEqualTo("aaaa1111");
    assertThat(first.environment()).isEqualTo("deploy-shop");
    assertThat(first.request().path("transient_environment").asBoolean()).isTrue();
    assertThat(first.request().path("production_environment").asBoolean()).isFalse();
    assertThat(states(0)).containsExactly("in_progress", "success");
    assertThat(github.statusesOf(first.id()).get(1).environmentUrl())
        .isEqualTo("https://deploy-shop.review.example.com");
    assertThat(states(1)).containsExactly("in_progress", "failure", "inactive");
    assertThat(github.statusesOf(github.deployments.get(1).id()).get(1).description())
        .isEqualTo("MigrationFailed: exit 1");

    // One comment, created once and edited: never a second one.
    assertThat(github.comments).hasSize(1);
    assertThat(
            github.calls.stream()
                .filter(c -> c.method().equals("POST") && c.path().endsWith("/comments")))
        .hasSize(1);
    assertThat(github.comments.values().iterator().next())
        .contains("<!-- review-apps:deploy-shop -->")
        .contains("deleted");
    // The token went in the header of every call, never in a URL.
    assertThat(github.calls).allMatch(c -> ("Bearer " + TOKEN).equals(c.authorization()));
    assertThat(github.calls).noneMatch(c -> c.query().contains(TOKEN));
  }

  @Test
  void theCommentShowsUrlPhaseCommitTimeToReadyCostAndTtl() {
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.comments.size() == 1);
    assertThat(github.comments.values().iterator().next())
        .contains("https://deploy-shop.review.example.com")
        .contains("| Phase | Ready |")
        .contains("`aaaa1111`")
        .contains("3.4 s")
        .contains("$0.0123 per hour")
        .contains("until 2026-12-06T10:00:00Z")
        .doesNotContain("Dashboard");
  }

  @Test
  void withAPublicDashboardTheCommentLinksTheAppsPage() {
    reporter.close();
    reporter =
        reporter(
            new dev.reviewapps.controller.reviewapp.dashboard.DashboardSettings(
                    true,
                    "127.0.0.1",
                    0,
                    Optional.empty(),
                    Optional.of(java.net.URI.create("https://review-apps.example.com/")))
                ::appPage);
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.comments.size() == 1);
    assertThat(github.comments.values().iterator().next())
        .contains("| Dashboard | https://review-apps.example.com/apps/deploy-shop |");
  }

  @Test
  void aRestartedControllerFindsItsDeploymentAndCommentInsteadOfMakingNewOnes() {
    reporter.report(report("aaaa1111", "Deploying"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.comments.size() == 1);
    reporter.close();
    reporter = reporter();
    reporter.report(report("aaaa1111", "Ready"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> github.comments.values().stream().anyMatch(c -> c.contains("| Phase | Ready |")));
    assertThat(github.deployments).hasSize(1);
    assertThat(github.comments).hasSize(1);
    assertThat(states(0)).containsExactly("in_progress", "success");
  }

  @Test
  void rateLimitsAreWaitedOutAsGitHubAsks() {
    long reset = Instant.now().getEpochSecond() + 30;
    github.answerNext(
        403,
        Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)),
        "{\"message\":\"API rate limit exceeded\"}");
    github.answerNext(429, Map.of("Retry-After", "7"), "{\"message\":\"secondary rate limit\"}");
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 1);
    assertThat(waits).hasSizeGreaterThanOrEqualTo(2);
    assertThat(waits.get(0)).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(32));
    assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aDuplicateDeploymentRefusedWith422IsFoundAndUsed() {
    github.duplicateDeploymentsRefused = true;
    reporter.report(report("aaaa1111", "Deploying"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 1);
    reporter.close();
    reporter = reporter();
    // A fresh reporter whose lookup misses once (GitHub's list lags): the create is refused.
    github.answerNext(200, Map.of(), "[]");
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 2);
    assertThat(github.deployments).hasSize(1);
    assertThat(states(0)).containsExactly("in_progress", "success");
  }

  @Test
  void aGitHubOutageNeitherBlocksTheCallerNorLosesTheLastReport() {
    for (int i = 0; i < 3; i++) {
      github.answerNext(503, Map.of(), "{\"message\":\"unavailable\"}");
    }
    long before = System.nanoTime();
    reporter.report(report("aaaa1111", "Ready"));
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(100));
    // Three tries fail; the report is sent again after the retry delay.
    await().atMost(Duration.ofSeconds(10)).until(() -> github.statuses.size() == 1);
    assertThat(github.statuses.get(0).state()).isEqualTo("success");
  }

  @Test
  void noPullRequestMeansNoCommentButTheDeploymentStillGoes() {
    github.pulls.clear();
    reporter.report(report("aaaa1111", "Ready"));
    await().atMost(Duration.ofSeconds(5)).until(() -> github.statuses.size() == 1);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> github.comments.isEmpty());
  }
}
