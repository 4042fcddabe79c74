package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.cost.CostModel;
import dev.reviewapps.model.naming.HostTemplate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the ReviewApp reconciler.
 *
 * @param hosts the public host of an app, e.g. {@code {name}.review.example.com}
 * @param urlScheme {@code http} or {@code https}, for the status URL
 * @param recheck how soon a step that waits for Nomad looks again
 * @param readyRecheck how often a Ready app is looked at, to keep its route in step with
 *     rescheduled allocations (Nomad has no watch the controller follows)
 * @param sleepAfter how long an app whose spec sets no {@code sleepAfter} may go without a request
 *     before it sleeps; empty: such apps never sleep on their own
 * @param costs what an app costs per hour (status, metrics, the budget)
 */
public record ReviewAppSettings(
    HostTemplate hosts,
    String urlScheme,
    Duration recheck,
    Duration readyRecheck,
    Optional<Duration> sleepAfter,
    CostModel costs) {

  public ReviewAppSettings {
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(urlScheme, "urlScheme");
    Objects.requireNonNull(recheck, "recheck");
    Objects.requireNonNull(readyRecheck, "readyRecheck");
    Objects.requireNonNull(sleepAfter, "sleepAfter");
    Objects.requireNonNull(costs, "costs");
  }

  /** The same with the default prices ({@link CostModel#DEFAULT}). */
  public ReviewAppSettings(
      HostTemplate hosts,
      String urlScheme,
      Duration recheck,
      Duration readyRecheck,
      Optional<Duration> sleepAfter) {
    this(hosts, urlScheme, recheck, readyRecheck, sleepAfter, CostModel.DEFAULT);
  }

  /** The given hosts over http, recheck after 2 s, Ready apps every 30 s, no sleeping. */
  public static ReviewAppSettings defaults(HostTemplate hosts) {
    return new ReviewAppSettings(
        hosts, "http", Duration.ofSeconds(2), Duration.ofSeconds(30), Optional.empty());
  }
}
