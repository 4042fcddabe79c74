package dev.reviewapps.controller.reviewapp;

import java.time.Duration;
import java.util.Objects;

/**
 * Where review-app databases live.
 *
 * @param sharedEndpoint {@code host:port} of the shared server as the jobs reach it (may differ
 *     from the controller's admin JDBC URL, e.g. a private address)
 * @param instanceMasterUsername the master user inside restored snapshots (the user the snapshot's
 *     source instance was created with); {@code instance} mode uses the app's own identifier
 * @param snapshotInstanceClass the class of restored instances when the spec names none
 * @param snapshotDatabaseName the database name inside restored snapshots
 * @param rdsRecheck how often a creating RDS instance is looked at again
 * @param dataSources the templates and snapshots a spec may name
 */
public record DatabaseSettings(
    String sharedEndpoint,
    String instanceMasterUsername,
    String snapshotInstanceClass,
    String snapshotDatabaseName,
    Duration rdsRecheck,
    DataSources dataSources) {

  public DatabaseSettings {
    Objects.requireNonNull(sharedEndpoint, "sharedEndpoint");
    Objects.requireNonNull(instanceMasterUsername, "instanceMasterUsername");
    Objects.requireNonNull(snapshotInstanceClass, "snapshotInstanceClass");
    Objects.requireNonNull(snapshotDatabaseName, "snapshotDatabaseName");
    Objects.requireNonNull(rdsRecheck, "rdsRecheck");
    Objects.requireNonNull(dataSources, "dataSources");
  }

  /** The shared server at {@code sharedEndpoint}, the rest defaulted: nothing to clone. */
  public static DatabaseSettings shared(String sharedEndpoint) {
    return new DatabaseSettings(
        sharedEndpoint,
        "reviewapp",
        "db.t3.micro",
        "app",
        Duration.ofSeconds(15),
        DataSources.NONE);
  }

  /** The same with these allow-lists. */
  public DatabaseSettings withDataSources(DataSources allowed) {
    return new DatabaseSettings(
        sharedEndpoint,
        instanceMasterUsername,
        snapshotInstanceClass,
        snapshotDatabaseName,
        rdsRecheck,
        allowed);
  }
}
