package dev.reviewapps.controller.reviewapp.wiring;

import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardSettings;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.tls.ClientTls;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code reviewapp} section of the controller's configuration, validated: everything the
 * ReviewApp reconciler and its clients are built from. Secrets are {@link Secret}s, so {@code
 * toString} shows none.
 */
public record ReviewAppConfig(
    ReviewAppSettings reviewApps,
    DatabaseSettings databases,
    SharedPostgres sharedPostgres,
    Nomad nomad,
    ReviewAppJobs.Settings jobs,
    Aws aws,
    Capacity capacity,
    Assets assets,
    Gc gc,
    TeardownSettings teardown,
    Lifecycle lifecycle,
    GitHub github,
    DashboardSettings dashboard) {

  /**
   * GitHub deployments and the PR comment: off while {@code repository} is empty.
   *
   * @param repository {@code owner/name}
   * @param apiUrl {@code https://api.github.com} or an Enterprise {@code https://host/api/v3}
   * @param token a token that may write deployments and issue comments; a secret
   */
  public record GitHub(Optional<String> repository, URI apiUrl, Optional<Secret> token) {}

  /** The shared PostgreSQL server as the controller reaches it (CREATEROLE and CREATEDB). */
  public record SharedPostgres(String jdbcUrl, String username, Secret password) {}

  /**
   * The Nomad API, and {@code instance}: the name of this installation, marked on every job (Meta
   * {@code review-apps-instance}) and checked before any change. {@code watchAllocations}: a
   * blocking query on Nomad's allocations queues an app when one of its allocations changes.
   */
  public record Nomad(
      URI address,
      Optional<Secret> token,
      Optional<String> region,
      Optional<String> namespace,
      ClientTls tls,
      String instance,
      boolean watchAllocations) {}

  /**
   * AWS clients: the region (empty: the SDK's default chain) and an endpoint override (devstack's
   * AWS stand-in); credentials come from the SDK's default chain.
   */
  public record Aws(Optional<String> region, Optional<URI> endpoint) {}

  /** Which capacity provider runs and what it packs onto. */
  public record Capacity(
      Provider provider,
      Optional<String> autoScalingGroup,
      int staticNodes,
      Footprint instanceSize,
      double headroomShare,
      int spareInstances) {

    /** {@code static}: a fixed number of Nomad clients; {@code asg}: an Auto Scaling Group. */
    public enum Provider {
      STATIC,
      ASG
    }
  }

  /** Where CI puts an app's assets ({@code s3://bucket/prefix<name>/}); used by teardown. */
  public record Assets(Optional<String> bucket, String prefix) {}

  /**
   * Garbage collection of apps whose branch is gone: the repository (a git remote, or {@code
   * owner/name} on GitHub), how often its branches are listed and how long a gone branch's app is
   * kept.
   */
  public record Gc(Optional<String> repository, Duration interval, Duration grace) {}

  /**
   * How apps end and how many may exist: the branch source, the default TTL, the orphan sweep, the
   * mass-deletion guard and the quota.
   *
   * @param source where branches are listed
   * @param githubApi GitHub's API base ({@code github} source)
   * @param githubToken a token that may read the repository ({@code github} source); a secret
   * @param listingTimeout how long one branch listing may take
   * @param defaultTtl the TTL of specs that set none; empty: they never expire
   * @param orphansInterval how often the orphan sweep runs
   * @param orphansDryRun true: the sweep only lists orphans
   * @param guardLimits when deleting at once needs an operator's confirmation
   * @param guardInterval how often a hold is looked at again
   * @param quotaMax the most apps at once; 0: no maximum
   * @param quotaRecheck how often a queued app asks again
   * @param maxDollarsPerHour the budget of all apps together; 0: none
   */
  public record Lifecycle(
      BranchSourceKind source,
      URI githubApi,
      Optional<Secret> githubToken,
      Duration listingTimeout,
      Optional<Duration> defaultTtl,
      Duration orphansInterval,
      boolean orphansDryRun,
      GuardLimits guardLimits,
      Duration guardInterval,
      int quotaMax,
      Duration quotaRecheck,
      double maxDollarsPerHour) {

    /** {@code git}: {@code git ls-remote}; {@code github}: GitHub's REST API. */
    public enum BranchSourceKind {
      GIT,
      GITHUB
    }
  }
}
