package dev.reviewapps.devstack.aws.rds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One manual DB snapshot, guarded like {@link DbInstance} by the service's lock. */
final class DbSnapshot {
  final String identifier;
  final String instanceIdentifier;
  final Instant created;
  final String engine;
  final String engineVersion;
  final String masterUsername;

  /** Kept so that a restored instance has the master password its source had, as on AWS. */
  final String password;

  final Optional<String> requestedDbName;
  final String instanceClass;
  final int allocatedStorage;
  final int port;

  /** The real database holding the copy when backed by PostgreSQL. */
  final String databaseName;

  String status = "creating";
  final Map<String, String> tags = new LinkedHashMap<>();

  DbSnapshot(String identifier, DbInstance source, Instant created, int port) {
    this.identifier = identifier;
    this.instanceIdentifier = source.identifier;
    this.created = created;
    this.engine = source.engine;
    this.engineVersion = source.engineVersion;
    this.masterUsername = source.masterUsername;
    this.password = source.password;
    this.requestedDbName = source.requestedDbName;
    this.instanceClass = source.instanceClass;
    this.allocatedStorage = source.allocatedStorage;
    this.port = port;
    this.databaseName = "rds_snapshot_" + identifier.replace('-', '_');
  }
}
