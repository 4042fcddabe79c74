package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/** {@link RdsInstances} over the AWS SDK v2 RDS client. */
public final class SdkRdsInstances implements RdsInstances {

  /** The tag every resource of a review app carries; teardown and the orphan sweep look for it. */
  public static final String TAG_KEY = "review-app";

  private final RdsClient rds;

  public SdkRdsInstances(RdsClient rds) {
    this.rds = rds;
  }

  /**
   * The instance, when there is one. One without the tag of the app its identifier names ({@code
   * ra-<name>}) is someone else's: {@link OwnershipConflict}, so that it is never modified or
   * deleted through this class.
   */
  @Override
  public Optional<RdsInstance> describe(String identifier) {
    try {
      return rds.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances().stream()
          .filter(i -> identifier.equals(i.dbInstanceIdentifier()))
          .findFirst()
          .map(SdkRdsInstances::owned)
          .map(
              i ->
                  new RdsInstance(
                      identifier,
                      String.valueOf(i.dbInstanceStatus()),
                      Optional.ofNullable(i.endpoint())
                          .filter(e -> e.address() != null && e.port() != null)
                          .map(e -> new Endpoint(e.address(), e.port())),
                      Optional.ofNullable(i.masterUsername()),
                      Optional.ofNullable(i.dbName())));
    } catch (DbInstanceNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void create(NewInstance instance) {
    try {
      rds.createDBInstance(
          r -> {
            r.dbInstanceIdentifier(instance.identifier())
                .dbInstanceClass(instance.instanceClass())
                .allocatedStorage(instance.allocatedStorageGb())
                .engine("postgres")
                .dbName(instance.databaseName())
                .masterUsername(instance.masterUsername())
                .masterUserPassword(instance.masterPassword())
                .publiclyAccessible(false)
                .tags(tag(instance.tagValue()));
            instance.engineVersion().ifPresent(r::engineVersion);
          });
    } catch (DbInstanceAlreadyExistsException e) {
      // The identifier is derived from the app's name: a previous run (or a crashed one) made it.
    }
  }

  @Override
  public void restore(String snapshotIdentifier, NewInstance instance) {
    try {
      rds.restoreDBInstanceFromDBSnapshot(
          r ->
              r.dbInstanceIdentifier(instance.identifier())
                  .dbSnapshotIdentifier(snapshotIdentifier)
                  .dbInstanceClass(instance.instanceClass())
                  .publiclyAccessible(false)
                  .tags(tag(instance.tagValue())));
    } catch (DbInstanceAlreadyExistsException e) {
      // As in create: ours from an earlier run.
    }
  }

  private static DBInstance owned(DBInstance instance) {
    String id = instance.dbInstanceIdentifier();
    Optional<String> owner =
        id.startsWith("ra-") ? Optional.of(id.substring(3)) : Optional.<String>empty();
    Optional<String> mark =
        instance.tagList().stream()
            .filter(t -> TAG_KEY.equals(t.key()))
            .map(Tag::value)
            .filter(v -> v != null)
            .findFirst();
    if (owner.isEmpty() || !mark.equals(owner)) {
      throw new OwnershipConflict(
          "RDS instance " + id,
          mark.isEmpty()
              ? "exists without review-apps' tag " + TAG_KEY
              : "is tagged for another app");
    }
    return instance;
  }

  @Override
  public void setMasterPassword(String identifier, String password) {
    describe(identifier);
    rds.modifyDBInstance(
        r ->
            r.dbInstanceIdentifier(identifier).masterUserPassword(password).applyImmediately(true));
  }

  @Override
  public void delete(String identifier, Optional<String> finalSnapshotIdentifier) {
    if (describe(identifier).isEmpty()) {
      return;
    }
    try {
      rds.deleteDBInstance(
          r -> {
            r.dbInstanceIdentifier(identifier).deleteAutomatedBackups(true);
            finalSnapshotIdentifier.ifPresentOrElse(
                s -> r.skipFinalSnapshot(false).finalDBSnapshotIdentifier(s),
                () -> r.skipFinalSnapshot(true));
          });
    } catch (DbInstanceNotFoundException e) {
      // Already gone: deleting is idempotent.
    }
  }

  @Override
  public Map<String, String> tagged() {
    Map<String, String> tagged = new TreeMap<>();
    for (DBInstance instance : rds.describeDBInstancesPaginator(r -> {}).dbInstances()) {
      if ("deleting".equals(instance.dbInstanceStatus())) {
        continue;
      }
      instance.tagList().stream()
          .filter(t -> TAG_KEY.equals(t.key()) && t.value() != null)
          .findFirst()
          .ifPresent(t -> tagged.put(instance.dbInstanceIdentifier(), t.value()));
    }
    return tagged;
  }

  private static Tag tag(String appName) {
    return Tag.builder().key(TAG_KEY).value(appName).build();
  }
}
