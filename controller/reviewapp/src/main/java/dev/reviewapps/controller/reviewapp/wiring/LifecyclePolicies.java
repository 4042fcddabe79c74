package dev.reviewapps.controller.reviewapp.wiring;

import dev.reviewapps.controller.github.GitHubReporter;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.gc.Expiry;
import dev.reviewapps.controller.reviewapp.quota.Budget;
import dev.reviewapps.controller.reviewapp.quota.Quota;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.Ttl;
import dev.reviewapps.model.status.Cost;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The reconciler's {@link ReviewAppReconciler.Policies}: the {@link Quota}, the {@link Budget} and
 * the {@link Expiry}.
 */
public final class LifecyclePolicies implements ReviewAppReconciler.Policies {
  private final Quota quota;
  private final Budget budget;
  private final Expiry expiry;
  private final Duration queueRecheck;
  private final Optional<GitHubReporter> github;

  public LifecyclePolicies(Quota quota, Budget budget, Expiry expiry, Duration queueRecheck) {
    this(quota, budget, expiry, queueRecheck, Optional.empty());
  }

  /**
   * @param github where phase changes are reported as deployments and a PR comment; empty: off
   */
  public LifecyclePolicies(
      Quota quota,
      Budget budget,
      Expiry expiry,
      Duration queueRecheck,
      Optional<GitHubReporter> github) {
    this.github = github;
    this.quota = quota;
    this.budget = budget;
    this.expiry = expiry;
    this.queueRecheck = queueRecheck;
  }

  @Override
  public Optional<ReviewAppReconciler.QueueWait> quotaWait(String app) {
    return quota
        .waitReason(app)
        .map(m -> new ReviewAppReconciler.QueueWait("QuotaExceeded", m))
        .or(
            () ->
                budget
                    .waitReason(app)
                    .map(m -> new ReviewAppReconciler.QueueWait("BudgetExceeded", m)));
  }

  @Override
  public Duration queueRecheck() {
    return queueRecheck;
  }

  @Override
  public Optional<Instant> expiresAt(String app, long specIndex, Optional<Ttl> ttl) {
    return expiry.expiresAt(app, specIndex, ttl);
  }

  @Override
  public void woke(String app) {
    expiry.renew(app);
  }

  @Override
  public void phaseChanged(
      String app, ReviewAppSpec spec, ReviewAppStatus status, Optional<Duration> timeToReady) {
    github.ifPresent(
        g ->
            g.report(
                new GitHubReporter.Report(
                    app,
                    spec.branch(),
                    spec.commit(),
                    status.phase().name(),
                    status.url(),
                    status.lastError(),
                    timeToReady,
                    status.cost().map(Cost::dollarsPerHour),
                    status.expiresAt().map(Instant::toString),
                    false)));
  }

  @Override
  public void gone(String app) {
    github.ifPresent(g -> g.report(GitHubReporter.Report.gone(app)));
  }
}
