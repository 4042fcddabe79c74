package dev.reviewapps.controller.reviewapp.wiring;

import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.aws.Footprint;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
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
    TeardownSettings teardown) {

  /** The shared PostgreSQL server as the controller reaches it (CREATEROLE and CREATEDB). */
  public record SharedPostgres(String jdbcUrl, String username, Secret password) {}

  /** The Nomad API. */
  public record Nomad(URI address, Optional<Secret> token, Optional<String> region) {}

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

  /** Garbage collection of apps whose branch is gone; read and validated for the GC issue. */
  public record Gc(Optional<String> repository, Duration interval, Duration grace) {}
}
