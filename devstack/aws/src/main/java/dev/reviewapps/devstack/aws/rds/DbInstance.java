package dev.reviewapps.devstack.aws.rds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One DB instance's state. Mutable, guarded by the {@link RdsService}'s lock; lifecycle tasks check
 * that the instance is still the same object in the same status before they change it.
 */
final class DbInstance {
  final String identifier;
  final String resourceId;
  final Instant created;
  final String engine;
  final String engineVersion;
  final String masterUsername;
  final Optional<String> requestedDbName;

  /** The real database's name when backed by PostgreSQL. */
  final String databaseName;

  String instanceClass;
  int allocatedStorage;
  boolean deletionProtection;
  String status = "creating";
  String password;
  Optional<String> pendingInstanceClass = Optional.empty();
  Optional<Integer> pendingStorage = Optional.empty();
  boolean passwordPending;
  Optional<Endpoint> endpoint = Optional.empty();
  final Map<String, String> tags = new LinkedHashMap<>();

  /** Where clients connect. */
  record Endpoint(String address, int port) {}

  DbInstance(
      String identifier,
      String resourceId,
      Instant created,
      String engine,
      String engineVersion,
      String masterUsername,
      String password,
      Optional<String> requestedDbName,
      String instanceClass,
      int allocatedStorage) {
    this.identifier = identifier;
    this.resourceId = resourceId;
    this.created = created;
    this.engine = engine;
    this.engineVersion = engineVersion;
    this.masterUsername = masterUsername;
    this.password = password;
    this.requestedDbName = requestedDbName;
    this.databaseName = identifier.replace('-', '_');
    this.instanceClass = instanceClass;
    this.allocatedStorage = allocatedStorage;
  }
}
