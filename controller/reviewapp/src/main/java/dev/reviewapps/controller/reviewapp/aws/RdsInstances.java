package dev.reviewapps.controller.reviewapp.aws;

import java.util.Map;
import java.util.Optional;

/**
 * Dedicated RDS PostgreSQL instances, one per review app, for the {@code instance} and {@code
 * snapshot} database modes. Every call returns at once: an instance takes minutes to become
 * available, and the caller polls {@link #describe} on later reconciles.
 */
public interface RdsInstances {

  /** The instance's current state, or empty when no instance has this identifier. */
  Optional<RdsInstance> describe(String identifier);

  /**
   * Starts creating an empty instance; an instance that already exists with this identifier is left
   * as it is (the identifier is deterministic, so it is ours).
   */
  void create(NewInstance instance);

  /**
   * Starts restoring {@code snapshotIdentifier} into a new instance; idempotent as {@link #create}.
   */
  void restore(String snapshotIdentifier, NewInstance instance);

  /**
   * Sets the master password: a restored instance keeps the snapshot's, which the controller does
   * not know, so the generated one is set once the instance is available.
   */
  void setMasterPassword(String identifier, String password);

  /** Starts deleting the instance, with a final snapshot when one is named; absent is fine. */
  void delete(String identifier, Optional<String> finalSnapshotIdentifier);

  /**
   * Every instance carrying the {@code review-app} tag: identifier to the tag's value (the app),
   * for the orphan sweep. Instances already being deleted are left out.
   */
  Map<String, String> tagged();

  /**
   * What to create. The password is the generated one from the credential store.
   *
   * @param tagValue the value of the {@code review-app} tag: the app's name
   */
  record NewInstance(
      String identifier,
      String instanceClass,
      int allocatedStorageGb,
      Optional<String> engineVersion,
      String databaseName,
      String masterUsername,
      String masterPassword,
      String tagValue) {

    @Override
    public String toString() {
      // Records print every field; the password must not reach a log line or an exception.
      return "NewInstance[" + identifier + ", " + instanceClass + ", " + databaseName + "]";
    }
  }

  /**
   * An instance as RDS describes it.
   *
   * @param status RDS's status word: {@code creating}, {@code backing-up}, {@code available}, ...
   * @param endpoint host and port, once RDS has assigned them
   * @param masterUsername the master user; a restored instance keeps the snapshot's
   * @param databaseName the initial database; a restored instance keeps the snapshot's
   */
  record RdsInstance(
      String identifier,
      String status,
      Optional<Endpoint> endpoint,
      Optional<String> masterUsername,
      Optional<String> databaseName) {
    /** True when the instance accepts connections. */
    public boolean available() {
      return "available".equals(status) && endpoint.isPresent();
    }
  }

  /** Where an instance listens. */
  record Endpoint(String host, int port) {}
}
