package dev.reviewapps.controller.github;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells GitHub where each review app stands, as hosted review-app systems do: a deployment per new
 * commit (environment = the app's name, transient) whose status follows the phase ({@code
 * in_progress}, {@code success} with the URL, {@code failure} with the reason, {@code inactive}
 * after teardown), and one comment on the branch's open pull request, found again by a marker and
 * edited in place, never duplicated.
 *
 * <p>Reports are queued and sent by one thread of its own: a reconcile never waits for GitHub, and
 * a GitHub outage or rate limit only delays the reports. Only the newest report per app is kept
 * while it waits; one that fails is tried again with the app's next report (or after {@code
 * retryAfter}).
 */
public final class GitHubReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubReporter.class);

  /** Where an app stands, as the PR comment and the deployment status show it. */
  public record Report(
      String app,
      String branch,
      String commit,
      String phase,
      Optional<String> url,
      Optional<String> reason,
      Optional<Duration> timeToReady,
      Optional<Double> dollarsPerHour,
      Optional<String> expiresAt,
      boolean gone) {

    /** The report that an app's teardown has finished: nothing is left of it. */
    public static Report gone(String app) {
      return new Report(
          app,
          "",
          "",
          "Deleted",
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          true);
    }
  }

  private final GitHubApi api;
  private final Function<String, Optional<String>> dashboard;
  private final Duration retryAfter;
  private final Map<String, Report> pending = new LinkedHashMap<>();
  private final Map<String, Long> deployments = new ConcurrentHashMap<>();
  private final Map<String, String> deployedCommits = new ConcurrentHashMap<>();
  private final Map<String, Long> comments = new ConcurrentHashMap<>();
  private final Map<String, String> branches = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public GitHubReporter(GitHubApi api, Duration retryAfter) {
    this(api, retryAfter, app -> Optional.empty());
  }

  /**
   * @param dashboard an app's dashboard page for people, linked from its comment when known
   */
  public GitHubReporter(
      GitHubApi api, Duration retryAfter, Function<String, Optional<String>> dashboard) {
    this.api = api;
    this.retryAfter = retryAfter;
    this.dashboard = dashboard;
    this.thread = new Thread(this::loop, "github-reporter");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a report; returns at once. A newer report for the same app replaces a waiting one. */
  public void report(Report report) {
    synchronized (pending) {
      pending.remove(report.app());
      pending.put(report.app(), report);
      pending.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      Report next;
      synchronized (pending) {
        while (running && pending.isEmpty()) {
          try {
            pending.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (!running) {
          return;
        }
        var first = pending.entrySet().iterator().next();
        next = first.getValue();
        pending.remove(first.getKey());
      }
      try {
        send(next);
      } catch (GitHubApi.GitHubException e) {
        LOG.warn(
            "GitHub: report of {} ({}) not sent: {}", next.app(), next.phase(), e.getMessage());
        retryLater(next);
      } catch (RuntimeException e) {
        LOG.warn("GitHub: report of {} failed: {}", next.app(), e.toString());
      }
    }
  }

  private void retryLater(Report report) {
    Thread retry =
        new Thread(
            () -> {
              try {
                Thread.sleep(retryAfter.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              synchronized (pending) {
                // A newer report that came meanwhile wins.
                pending.putIfAbsent(report.app(), report);
                pending.notifyAll();
              }
            },
            "github-retry");
    retry.setDaemon(true);
    retry.start();
  }

  void send(Report r) throws GitHubApi.GitHubException {
    if (!r.branch().isEmpty()) {
      branches.put(r.app(), r.branch());
    }
    if (r.gone()) {
      Optional<Long> deployment =
          Optional.ofNullable(deployments.remove(r.app()))
              .or(() -> findDeployment(Optional.empty(), r.app()));
      if (deployment.isPresent()) {
        api.deploymentStatus(deployment.get(), "inactive", Optional.empty(), "review app deleted");
      }
      deployedCommits.remove(r.app());
      comment(r);
      comments.remove(r.app());
      branches.remove(r.app());
      return;
    }
    long deployment = deployment(r);
    switch (r.phase()) {
      case "Ready", "Sleeping" ->
          api.deploymentStatus(
              deployment,
              "success",
              r.url(),
              r.phase().equals("Ready") ? "ready" : "asleep; the first request wakes it");
      case "Failed" ->
          api.deploymentStatus(
              deployment, "failure", Optional.empty(), r.reason().orElse("failed"));
      default -> api.deploymentStatus(deployment, "in_progress", Optional.empty(), r.phase());
    }
    comment(r);
  }

  /** The deployment of the report's commit: made once per commit, found again after a restart. */
  private long deployment(Report r) throws GitHubApi.GitHubException {
    if (r.commit().equals(deployedCommits.get(r.app())) && deployments.containsKey(r.app())) {
      return deployments.get(r.app());
    }
    Optional<Long> existing = findDeployment(Optional.of(r.commit()), r.app());
    long id;
    if (existing.isPresent()) {
      id = existing.get();
    } else {
      try {
        id = api.createDeployment(r.commit(), r.app(), "review app " + r.app());
      } catch (GitHubApi.GitHubException e) {
        // 422: one exists already (made by a report that failed half way): use it.
        if (e.status() != 422) {
          throw e;
        }
        id = findDeployment(Optional.of(r.commit()), r.app()).orElseThrow(() -> e);
      }
    }
    deployments.put(r.app(), id);
    deployedCommits.put(r.app(), r.commit());
    return id;
  }

  private Optional<Long> findDeployment(Optional<String> sha, String app) {
    try {
      return api.findDeployment(sha, app);
    } catch (GitHubApi.GitHubException e) {
      return Optional.empty();
    }
  }

  /** The app's comment on its branch's open pull request, created once and then edited. */
  private void comment(Report r) throws GitHubApi.GitHubException {
    // A teardown's report has no spec left to name the branch: the one seen last.
    String branch = r.branch().isEmpty() ? branches.getOrDefault(r.app(), "") : r.branch();
    if (branch.isEmpty()) {
      return;
    }
    Optional<Long> pull = api.openPullRequest(branch);
    if (pull.isEmpty()) {
      return;
    }
    String marker = marker(r.app());
    Optional<Long> id =
        Optional.ofNullable(comments.get(r.app())).or(() -> findComment(pull.get(), marker));
    String body = body(r, marker, dashboard.apply(r.app()));
    if (id.isPresent()) {
      api.updateComment(id.get(), body);
      comments.put(r.app(), id.get());
    } else {
      comments.put(r.app(), api.createComment(pull.get(), body));
    }
  }

  private Optional<Long> findComment(long pull, String marker) {
    try {
      return api.findComment(pull, marker);
    } catch (GitHubApi.GitHubException e) {
      return Optional.empty();
    }
  }

  /** The hidden line that finds the app's comment again. */
  static String marker(String app) {
    return "<!-- review-apps:" + app + " -->";
  }

  /** The comment's Markdown; every value is the controller's own or a validated spec field. */
  static String body(Report r, String marker, Optional<String> dashboardPage) {
    StringBuilder b = new StringBuilder(marker).append('\n');
    b.append("**Review app `").append(r.app()).append("`**");
    if (r.gone()) {
      return b.append(": deleted, nothing is left of it.\n").toString();
    }
    b.append("\n\n| | |\n|---|---|\n");
    b.append("| URL | ").append(r.url().orElse("not yet")).append(" |\n");
    b.append("| Phase | ")
        .append(r.phase())
        .append(r.reason().map(x -> " (" + escape(x) + ")").orElse(""))
        .append(" |\n");
    b.append("| Commit | `").append(r.commit()).append("` |\n");
    r.timeToReady()
        .ifPresent(
            t ->
                b.append("| Ready in | ")
                    .append(String.format(Locale.ROOT, "%.1f s", t.toMillis() / 1000.0))
                    .append(" |\n"));
    r.dollarsPerHour()
        .ifPresent(
            c ->
                b.append("| Cost | ")
                    .append(String.format(Locale.ROOT, "$%.4f per hour", c))
                    .append(" |\n"));
    b.append("| TTL | ").append(r.expiresAt().map(t -> "until " + t).orElse("none")).append(" |\n");
    dashboardPage.ifPresent(p -> b.append("| Dashboard | ").append(p).append(" |\n"));
    return b.toString();
  }

  /** Table cells: no pipes or line breaks from a message. */
  private static String escape(String s) {
    String one = s.replace('\n', ' ').replace("|", "\\|").replace("<", "&lt;");
    return one.length() <= 300 ? one : one.substring(0, 299) + "…";
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
