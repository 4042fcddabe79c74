package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.aws.AppAssets;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.credentials.CredentialStore;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabases;
import dev.reviewapps.controller.reviewapp.routes.RouteTable;
import java.util.Objects;

/**
 * The outside systems the reconcile steps and the teardown drive, each behind its small interface.
 */
public record ReviewAppProviders(
    CredentialStore credentials,
    SharedDatabases sharedDatabases,
    RdsInstances rds,
    CapacityProvider capacity,
    NomadJobs nomad,
    RouteTable routes,
    AppAssets assets) {

  public ReviewAppProviders {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(sharedDatabases, "sharedDatabases");
    Objects.requireNonNull(rds, "rds");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(nomad, "nomad");
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(assets, "assets");
  }
}
