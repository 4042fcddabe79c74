package dev.reviewapps.controller.reviewapp.wiring;

import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.gc.Expiry;
import dev.reviewapps.controller.reviewapp.quota.Budget;
import dev.reviewapps.controller.reviewapp.quota.Quota;
import dev.reviewapps.model.spec.Ttl;
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

  public LifecyclePolicies(Quota quota, Budget budget, Expiry expiry, Duration queueRecheck) {
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
}
